"""Upline's HTTP face: `POST /slack/events` for Slack, `GET /healthz` and `GET /metrics` for operators."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from handlers import door


def create_web_app(upline) -> Starlette:
    latency = upline.metrics.request_seconds.labels("/slack/events")

    async def events(request: Request) -> Response:
        started = time.perf_counter()
        try:
            with upline.in_flight.request():
                return await door.answer(upline.bolt, request)  # Bolt still checks the signature
        finally:
            latency.observe(time.perf_counter() - started)

    async def healthz(request: Request) -> Response:
        problems = list(upline.background.problems())
        try:
            await asyncio.wait_for(asyncio.to_thread(_ping, upline.engine), timeout=3)
        except Exception as error:  # any failure to answer is the reason to report
            problems.insert(0, f"the database does not answer: {type(error).__name__}")
        if problems:
            return PlainTextResponse("unhealthy: " + "; ".join(problems) + "\n", status_code=503)
        return PlainTextResponse("ok\n")

    async def metrics(request: Request) -> Response:
        body = await asyncio.to_thread(upline.metrics.exposition)
        return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")

    return Starlette(routes=[
        Route("/slack/events", events, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ])


def _ping(engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
