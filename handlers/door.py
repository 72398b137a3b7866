"""The door every request from Slack comes in by: nothing malformed gets past it, and nothing it turns
away is answered with a 5xx.

Over HTTP Upline reads the body itself and hands Bolt what it read; Bolt still checks the signature
(a bad or missing one is a 401, as before) and routes the request to its handler. Past the signature:

    a body that is not Slack's at all      400   not UTF-8 (refused before the signature can be read),
                                                 not the JSON its label says, JSON that is not an object,
                                                 a `payload=` that is not a JSON object
    an envelope Slack would not send       200, nothing done: an action without its id, a form without
                                                 its view, an event without its type, a team ID of
                                                 impossible shape; a slash command reads "That request
                                                 could not be read …"
    a field a handler finds unreadable     the same (`handlers.payloads.Unreadable`), or the handler's
                                                 own private answer
    any other failure                      200, logged with the request id; a command reads an apology

Every request gets an id, sent back as `X-Upline-Request-Id`; each log line about a request that
went wrong names it, and so does the apology a person reads. In Socket Mode (no HTTP, no signature)
the envelope check and the error handling are the same.

Why Upline reads form bodies itself: Bolt's parser (`slack_bolt.request.internals.parse_body`) takes
any form body in which the word "payload" appears — `"payload" in body` — for an interaction, so
`/ask nn how do I send a payload to a hook?` reached no handler and was answered 404. Here a form is
an interaction only when it has a `payload` field.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qsl

from slack_bolt.adapter.starlette.async_handler import to_starlette_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from handlers.envelope import envelope_problem
from handlers.payloads import Unreadable
from handlers.replies import REQUEST_ID, apology, request_reference

log = logging.getLogger(__name__)

ID_HEADER = "X-Upline-Request-Id"
PASSED = "upline_door_passed"  # set in the request's context once the signature is checked
MAX_FIELDS = 64  # a slash command has 14


class NotSlack(Exception):
    """A body Slack would never send: answered 400."""


@dataclass(frozen=True)
class Verdict:
    """What the door answers instead of a handler, once the signature is checked."""

    status: int
    reason: str
    command: bool = False  # a slash command shows the answer's text to the person who typed it

    def response(self) -> BoltResponse:
        if self.status != 200:
            return BoltResponse(status=self.status, body=f"Not a Slack request: {self.reason}.\n")
        return BoltResponse(status=200, body=Unreadable(self.reason).message if self.command else "")


def read_body(text: str, content_type: str | None) -> dict:
    """The request's fields: an event's JSON, a command's form, or an interaction's `payload` JSON.

    As in Bolt, a body that starts with `{` is JSON whatever its label says."""
    if not text.strip():
        raise NotSlack("it is empty")
    if content_type == "application/json" or text.lstrip().startswith("{"):
        return _typed_object(text, "its JSON body")
    try:
        fields = dict(parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS))
    except ValueError:
        raise NotSlack("its form has too many fields") from None
    if "payload" in fields:  # the field, not the word: see the module's docstring
        return _typed_object(fields["payload"], "its payload")
    if "command" in fields or "ssl_check" in fields:
        return fields
    raise NotSlack("its form is neither a slash command nor an interaction")


def _typed_object(text: str, what: str) -> dict:
    """Slack's JSON is always an object with a `type`: an event's, an interaction's."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise NotSlack(f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise NotSlack(f"{what} is not a JSON object")
    if "type" not in value:
        raise NotSlack(f"{what} has no type")
    return value


class DoorRequest(AsyncBoltRequest):
    """A Bolt request with the body the door read, safe for Bolt to route; `verdict` says what to
    answer instead of dispatching it (once Bolt has checked the signature)."""

    def __init__(self, *, raw_body: str, headers, query, content_type: str | None):
        super().__init__(body="", query=query, headers=headers)  # Bolt's own parsing reads nothing
        self.raw_body = raw_body  # what Bolt checks the signature against
        self.verdict: Verdict | None = None
        try:
            body = read_body(raw_body, content_type)
        except NotSlack as error:
            body, self.verdict = {}, Verdict(400, str(error))
        command = "command" in body
        if self.verdict is None and (problem := envelope_problem(body)):
            body, self.verdict = {}, Verdict(200, problem, command)
        try:
            context = build_async_context(AsyncBoltContext({}), body)
        except Exception:  # Bolt reads IDs from many places; one it cannot read is not where Slack puts it
            body, self.verdict = {}, Verdict(200, "its IDs are not where Slack puts them", command)
            context = build_async_context(AsyncBoltContext({}), body)
        self.body, self.context = body, context


class CheckedAtTheDoor(AsyncMiddleware):
    """Runs right after Bolt's signature check (Bolt's `before_authorize`): answers the door's verdict."""

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse, next):  # noqa: A002
        req.context[PASSED] = True
        if isinstance(req, DoorRequest):
            verdict = req.verdict
        else:  # Socket Mode: Bolt built the request from the envelope's payload
            problem = envelope_problem(req.body)
            verdict = Verdict(200, problem, "command" in req.body) if problem else None
        if verdict is None:
            return await next()
        log.warning("request %s: %s; nothing done", request_reference(), verdict.reason)
        return verdict.response()


async def answer(bolt: AsyncApp, request: Request) -> Response:
    """`POST /slack/events`: read the request, let Bolt check and dispatch it, answer with its id."""
    request_id = uuid.uuid4().hex[:12]
    token = REQUEST_ID.set(request_id)
    try:
        raw = await request.body()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # Bolt could not even check its signature: Slack signs UTF-8 text
            log.warning("request %s: its body is not UTF-8; refused", request_id)
            return PlainTextResponse("Not a Slack request: its body is not UTF-8.\n", status_code=400,
                                     headers={ID_HEADER: request_id})
        content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower() or None
        bolt_request = DoorRequest(raw_body=text, headers=request.headers, query=request.query_params,
                                   content_type=content_type)
        response = to_starlette_response(await bolt.async_dispatch(bolt_request))
        response.headers[ID_HEADER] = request_id
        return response
    finally:
        REQUEST_ID.reset(token)


def _what(body: dict) -> str:
    """The request in a few words, for the log: `/ask`, `block_actions ticket_acknowledge`, `event app_mention`."""
    if isinstance(body.get("command"), str):
        return body["command"]
    if isinstance(body.get("event"), dict):
        return f"event {body['event'].get('type')}"
    actions, view = body.get("actions"), body.get("view")
    if isinstance(actions, list) and actions and isinstance(actions[0], dict):
        name = actions[0].get("action_id")
    else:
        name = view.get("callback_id") if isinstance(view, dict) else None
    return " ".join(str(part) for part in (body.get("type"), name) if part) or "request"


def register(app: AsyncApp, deps) -> None:
    @app.error
    async def failed(error: Exception, request: AsyncBoltRequest) -> BoltResponse:
        """Whatever a handler or middleware let through; never a 5xx (Slack shows one as a broken app
        and retries events that got one)."""
        reference = request_reference()
        if request.mode == "http" and not request.context.get(PASSED):
            # Bolt's signature check itself failed (a timestamp that is not a number, a signature
            # that is not ASCII): the request was not shown to be Slack's.
            log.warning("request %s: its signature could not be checked (%r)", reference, error)
            return BoltResponse(status=401, body={"error": "invalid request"})
        command = isinstance(request.body, dict) and "command" in request.body
        if isinstance(error, Unreadable):
            log.warning("request %s: %s; nothing done", reference, error.reason)
            return BoltResponse(status=200, body=error.message if command else "")
        log.error("request %s failed: %s", reference, _what(request.body), exc_info=error)
        return BoltResponse(status=200, body=apology(reference) if command else "")
