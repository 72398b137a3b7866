"""The page's backend: `/sandbox/...` reads the workspace for the page and carries what a person does
there to Upline as Slack would (acting.py, bot_line.py); `/sandbox/response/{token}` is the
response_url Upline posts its answers to; `/sandbox/events` streams every change to the open pages;
`/sandbox/governance` is what `upline governance apply --dry-run` would write (governance.py);
`/sandbox/report` is the page `upline report --format html` writes (report.py).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from bot.sandbox.models import SlackError
from bot.sandbox.page_api import reading
from bot.sandbox.page_api.acting import action, close, open_home, send, submit
from bot.sandbox.page_api.clock_steps import advance_through_digests
from bot.sandbox.page_api.context import PageContext, acting, clock_json
from bot.sandbox.page_api.governance import governance
from bot.sandbox.page_api.interactions import PageError
from bot.sandbox.page_api.notes import answer_response_url
from bot.sandbox.page_api.report import report_page

log = logging.getLogger(__name__)
MAX_ADVANCE = timedelta(days=30)


def create_page_routes(ctx: PageContext) -> list[Route]:
    def route(path: str, handler: Callable[[PageContext, Request], Awaitable[Any]], method: str = "GET") -> Route:
        async def endpoint(request: Request) -> Response:
            try:
                result = await handler(ctx, request)
            except SlackError as error:  # a channel, message or view that is not there (for this person)
                return JSONResponse({"ok": False, "error": error.code}, status_code=404)
            except (PageError, KeyError, TypeError, ValueError) as error:  # a request the page would not send
                log.info("refused %s %s: %r", request.method, request.url.path, error)
                return JSONResponse({"ok": False, "error": str(error)}, status_code=400)
            return result if isinstance(result, Response) else JSONResponse(result)
        return Route(path, endpoint, methods=[method])

    return [
        route("/sandbox/state", state),
        route("/sandbox/conversation/{channel}", conversation),
        route("/sandbox/thread/{channel}/{ts}", thread),
        route("/sandbox/home", home),
        route("/sandbox/modal", modal),
        route("/sandbox/clock", clock),
        route("/sandbox/governance", governance),
        route("/sandbox/report", report_page),
        route("/sandbox/send", send, "POST"),
        route("/sandbox/action", action, "POST"),
        route("/sandbox/submit", submit, "POST"),
        route("/sandbox/close", close, "POST"),
        route("/sandbox/home/open", open_home, "POST"),
        route("/sandbox/clock", advance_clock, "POST"),
        Route("/sandbox/response/{token}", functools.partial(response_url, ctx), methods=["POST"]),
        Route("/sandbox/events", functools.partial(events, ctx), methods=["GET"]),
    ]


# -- reading ---------------------------------------------------------------------------------------


async def state(ctx: PageContext, request: Request) -> dict:
    """Everything the page draws around a conversation; without `as`, it acts as the first asker."""
    ws = ctx.workspace
    user = acting(ctx, request.query_params.get("as") or first_asker(ctx))
    return {"team": ws.team_name, "project": ctx.config.project, "me": user,
            "bot": {"id": ws.bot_user_id, "name": "Upline"}, "people": reading.people(ws, ctx.config),
            **reading.sidebar(ws, ctx.config, ctx.notes, user), "clock": clock_json(ctx),
            "commands": [{"command": c, "description": d, "usage": u} for c, (d, u) in ctx.commands.items()]}


async def conversation(ctx: PageContext, request: Request) -> dict:
    user = acting(ctx, request.query_params.get("as"))
    return reading.conversation(ctx.workspace, ctx.notes, request.path_params["channel"], user)


async def thread(ctx: PageContext, request: Request) -> dict:
    user = acting(ctx, request.query_params.get("as"))
    params = request.path_params
    return reading.thread(ctx.workspace, ctx.notes, params["channel"], params["ts"], user)


async def home(ctx: PageContext, request: Request) -> dict:
    user = acting(ctx, request.query_params.get("as"))
    return {"view": reading.view_for_page(ctx.workspace, ctx.workspace.home(user))}


async def modal(ctx: PageContext, request: Request) -> dict:
    return reading.modal(ctx.workspace, acting(ctx, request.query_params.get("as")))


async def clock(ctx: PageContext, request: Request) -> dict:
    return clock_json(ctx)


async def advance_clock(ctx: PageContext, request: Request) -> dict:
    body = await request.json()
    by = timedelta(seconds=float(body.get("seconds")))
    if not timedelta(0) < by <= MAX_ADVANCE:
        raise PageError("advance the clock by a positive amount of at most 30 days")
    # Stopping at each digest on the way, sent at its moment (clock_steps.py); off the event loop.
    await run_in_threadpool(advance_through_digests, ctx.clock, by, ctx.next_digest, ctx.sweep)
    ctx.wake()  # the sweeper and the outbox run now, not at their next planned time
    ctx.feed.publish({"kind": "clock"})
    return clock_json(ctx)


# -- Slack's side ---------------------------------------------------------------------------------


async def response_url(ctx: PageContext, request: Request) -> Response:
    """What Upline's `respond()` posts: JSON (or a `payload=` form), applied as Slack applies it."""
    try:
        target = ctx.notes.use_response_url(request.path_params["token"])
    except SlackError as error:
        return JSONResponse({"ok": False, "error": error.code}, status_code=404)
    raw = await request.body()
    try:
        if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            raw = dict(parse_qsl(raw.decode())).get("payload", "").encode()
        body = json.loads(raw or b"{}")
        if not isinstance(body, dict):
            raise ValueError("not an object")
        answer_response_url(ctx.workspace, ctx.notes, target, body)
    except ValueError:
        return JSONResponse({"ok": False, "error": "invalid_payload"}, status_code=400)
    except SlackError as error:
        return JSONResponse({"ok": False, "error": error.code}, status_code=400)
    return JSONResponse({"ok": True})


async def events(ctx: PageContext, request: Request) -> Response:
    return StreamingResponse(ctx.feed.stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def first_asker(ctx: PageContext) -> str:
    listed = reading.people(ctx.workspace, ctx.config)
    return next((p["id"] for p in listed if p["roles"] == ["asker"]), next(p["id"] for p in listed if not p["is_bot"]))
