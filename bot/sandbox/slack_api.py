"""A Slack Web API stand-in over real HTTP: the app's own slack_sdk client talks to it as it would to Slack.

`create_slack_api(workspace)` is a Starlette app answering `POST /api/{method}` (and GET with query
parameters) the way slack.com does: form or JSON bodies, `Authorization: Bearer` tokens, `{"ok": ...}`
answers with Slack's error codes, 404 `unknown_method`, 429 with `Retry-After`, HTML 5xx pages, and
Slack's rate limits when the workspace enforces them (`Workspace(rate_limits=...)`, see rate_limits.py).
The tests run it with `SlackApiServer` (uvicorn on a free port in a thread); `upline sandbox` mounts it
beside its browser page. Every call is recorded on the workspace; with an `OpenApiCatalog` each is also
checked against Slack's published description, and problems land in `workspace.contract_violations`
(recorded, not refused: a test then fails on one clear assertion instead of a puzzling bot error).
"""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.sandbox.models import ApiCall, Fault, SlackError
from bot.sandbox.openapi import OpenApiCatalog
from bot.sandbox.slack_methods import APP_METHODS, BOT_METHODS, Handler, MethodCall
from bot.sandbox.view_methods import VIEW_METHODS
from bot.sandbox.workspace import Workspace
from bot.serve import ServerThread

log = logging.getLogger(__name__)

__all__ = ["OpenApiCatalog", "SlackApiServer", "Workspace", "create_slack_api"]

JSON_PARAMS = ("blocks", "view", "attachments")  # sent as JSON strings in form bodies
ERROR_PAGE = ("<!DOCTYPE html><html><head><title>Server Error | Slack</title></head>"
              "<body><h1>Slack is having trouble</h1><p>Please try again.</p></body></html>")


def create_slack_api(workspace: Workspace, *, openapi: OpenApiCatalog | None = None) -> Starlette:
    bot_methods: dict[str, Handler] = {**BOT_METHODS, **VIEW_METHODS}

    async def web_api(request: Request) -> Response:
        current: Workspace = app.state.workspace
        method = request.path_params["method"]
        try:
            params = await _read_params(request)
        except SlackError as error:
            params, response = {}, _error(error)
            token = _token(request, params)
        else:
            token = _token(request, params)
            params.pop("token", None)
            try:
                if current.before_call is not None:  # a test's hook: raising fails the call (a 500 here)
                    current.before_call(method, params)
                response = _answer(current, method, params, token, bot_methods, openapi,
                                   origin=str(request.base_url).rstrip("/"))
            except Exception:  # a bug in the stand-in: still recorded, so a test shows which call hit it
                log.exception("the Slack API stand-in failed on %s", method)
                response = Response(ERROR_PAGE, status_code=500, media_type="text/html")
        current.record_call(ApiCall(method, params, token, response.status_code))
        return response

    app = Starlette(routes=[Route("/api/{method}", web_api, methods=["GET", "POST"])])
    app.state.workspace = workspace  # replaceable: see SlackApiServer.use
    return app


def _answer(workspace: Workspace, method: str, params: dict[str, Any], token: str | None,
            bot_methods: dict[str, Handler], openapi: OpenApiCatalog | None, *, origin: str) -> Response:
    if openapi is not None:
        workspace.record_violations(openapi.check(method, params))
    fault = workspace.take_fault(method)
    if fault is not None:
        return _fault_response(fault)
    handler = bot_methods.get(method) or APP_METHODS.get(method)
    if handler is None:
        # Slack's answer to a method it does not have; the stand-in also says so for real ones it lacks.
        known = openapi is not None and openapi.knows(method)
        extra = {"response_metadata": {"messages": [f"[ERROR] the stand-in does not implement {method}"]}}
        return JSONResponse({"ok": False, "error": "unknown_method", **(extra if known else {})}, status_code=404)
    try:
        _authenticate(workspace, token, app_level=method in APP_METHODS)
        retry_after = _rate_limited(workspace, method, params)
        if retry_after is not None:
            return _fault_response(Fault(429, retry_after, remaining=1))
        result = handler(MethodCall(workspace, params, origin))
    except SlackError as error:
        return _error(error)
    return JSONResponse({"ok": True, **result})


def _authenticate(workspace: Workspace, token: str | None, *, app_level: bool) -> None:
    if not token:
        raise SlackError("not_authed")
    if token not in (workspace.bot_token, workspace.app_token):
        raise SlackError("invalid_auth")
    if (token == workspace.app_token) != app_level:
        # App-level tokens only open Socket Mode connections; bot tokens cannot.
        raise SlackError("not_allowed_token_type")


def _rate_limited(workspace: Workspace, method: str, params: dict[str, Any]) -> int | None:
    """The call's `Retry-After` when the workspace enforces Slack's limits and this call is past one."""
    if workspace.rate_limiter is None:
        return None
    channel = str(params.get("channel") or "") or None
    if channel is not None:
        # Counted under the conversation's ID when it has one (`#nn` and `C0NN` are one channel).
        with contextlib.suppress(SlackError):
            channel = workspace.channel(channel).id
    return workspace.rate_limiter.admit(method, channel)


async def _read_params(request: Request) -> dict[str, Any]:
    """Query parameters, overlaid by a form or JSON body, with JSON-string fields decoded."""
    params: dict[str, Any] = dict(request.query_params)
    body = await request.body()
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if body and content_type == "application/json":
        try:
            decoded = json.loads(body)
        except ValueError:
            raise SlackError("invalid_json") from None
        if not isinstance(decoded, dict):
            raise SlackError("json_not_object")
        params.update(decoded)
    elif body and content_type in ("application/x-www-form-urlencoded", "text/plain", ""):
        try:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise SlackError("invalid_form_data") from None
    elif body:
        raise SlackError("invalid_post_type")  # multipart (file uploads) is not stood in for
    for name in JSON_PARAMS:
        if isinstance(params.get(name), str) and params[name]:
            with contextlib.suppress(ValueError):  # left as sent: the method answers Slack's error for it
                params[name] = json.loads(params[name])
    return params


def _token(request: Request, params: dict[str, Any]) -> str | None:
    # Slack still takes `token` as a parameter; the header wins when both are sent.
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    token = params.get("token")
    return str(token) if token else None


def _error(error: SlackError) -> JSONResponse:
    content: dict[str, Any] = {"ok": False, "error": error.code}
    if error.messages:
        content["response_metadata"] = {"messages": error.messages}
    return JSONResponse(content)


def _fault_response(fault: Fault) -> Response:
    if fault.status == 429:
        return JSONResponse({"ok": False, "error": fault.error or "ratelimited"}, status_code=429,
                            headers={"Retry-After": str(fault.retry_after if fault.retry_after is not None else 1)})
    if fault.status < 400:
        return JSONResponse({"ok": False, "error": fault.error or "fatal_error"}, status_code=fault.status)
    body = ERROR_PAGE if fault.body is None else fault.body
    return Response(body, status_code=fault.status, media_type="text/html" if body else None)


class SlackApiServer:
    """The stand-in on 127.0.0.1 in a background thread, for tests: `with SlackApiServer() as slack: ...`.

    Point a client at `slack.base_url` (`WebClient(token=slack.workspace.bot_token, base_url=...)`)."""

    def __init__(self, workspace: Workspace | None = None, *, openapi: OpenApiCatalog | None = None,
                 host: str = "127.0.0.1", port: int = 0):
        self._app = create_slack_api(workspace if workspace is not None else Workspace(), openapi=openapi)
        self._host, self._port = host, port
        self._server: ServerThread | None = None

    @property
    def workspace(self) -> Workspace:
        return self._app.state.workspace

    def use(self, workspace: Workspace) -> Workspace:
        """Answer from `workspace` from now on, so tests can share one running server (starting and
        stopping uvicorn costs ~0.2 s) and still give each test a clean workspace."""
        self._app.state.workspace = workspace
        return workspace

    @property
    def origin(self) -> str:
        if self._server is None:
            raise RuntimeError("the Slack API stand-in has not been started")
        return self._server.url

    @property
    def base_url(self) -> str:
        return f"{self.origin}/api/"

    @property
    def calls(self) -> list[ApiCall]:
        return self.workspace.calls

    def start(self, timeout: float = 10.0) -> SlackApiServer:
        self._server = ServerThread(self._app, host=self._host, port=self._port).start(timeout)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
        self._server = None

    def __enter__(self) -> SlackApiServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
