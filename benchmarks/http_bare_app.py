"""The baseline for benchmarks/http_ack.py: a bare Bolt AsyncApp that only acks `/ask`, inside the request.

Same server stack as `upline run` in HTTP mode: Bolt's Starlette adapter, Starlette, uvicorn (one
process, 127.0.0.1, no access log), `process_before_response=True`, and an AsyncWebClient with the
bot token and `SLACK_API_URL`, as Upline builds it (its one `auth.test` is answered by the stand-in).

    SLACK_SIGNING_SECRET=... SLACK_BOT_TOKEN=... SLACK_API_URL=... PORT=... python benchmarks/http_bare_app.py
"""

from __future__ import annotations

import os

import uvicorn
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route


def create_app() -> Starlette:
    bolt = AsyncApp(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=AsyncWebClient(token=os.environ.get("SLACK_BOT_TOKEN"),
                              base_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/")),
        process_before_response=True,
    )

    @bolt.command("/ask")
    async def ask(ack):
        await ack()

    slack = AsyncSlackRequestHandler(bolt)

    async def events(request):
        return await slack.handle(request)

    async def healthz(request):
        return PlainTextResponse("ok\n")

    return Starlette(routes=[Route("/slack/events", events, methods=["POST"]),
                             Route("/healthz", healthz, methods=["GET"])])


if __name__ == "__main__":
    uvicorn.run(create_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "3000")),
                log_level="warning", access_log=False)
