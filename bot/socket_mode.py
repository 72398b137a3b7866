"""Socket Mode: Upline dials out to Slack over a websocket instead of Slack posting to a public URL.

Set `SLACK_APP_TOKEN` (an app-level `xapp-…` token with `connections:write`) and `upline run` answers
commands, buttons and events over that socket, with the same handlers and the same acks as over HTTP.
`/healthz` and `/metrics` are still served over HTTP on `PORT`, for the orchestrator; `/healthz` also
says when the socket to Slack is down. `POST /slack/events` is not served: Slack never posts in
Socket Mode, and without a signing secret nothing could tell its requests from forgeries.

Slack sends an envelope again when it did not see the ack in time (and after a reconnect). Each
`envelope_id` is handled once, whatever the envelope carries (a command, a click, an event): a repeat
is acked and dropped, on this replica or another, before or after a restart, because the id is
recorded in the database (`handlers.dedup.DeliveryKeys`) before the envelope is handled. So an
envelope whose handling was cut short (the process died) is not tried again: its command is lost,
and the person sees Slack's "did not respond" and asks again, rather than getting two tickets.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import uvicorn
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from handlers.dedup import DeliveryKeys
from storage.unit_of_work import out_of_reach

log = logging.getLogger(__name__)
TOKEN_ERRORS = {"not_authed", "invalid_auth", "not_allowed_token_type", "token_revoked", "account_inactive"}


class SocketModeUnavailable(RuntimeError):
    """Slack refused the app token, or could not be reached: the message says which."""


class SocketModeConnection:
    """The websocket to Slack for one Upline; `serve(server)` runs it beside the HTTP server."""

    def __init__(self, upline, *, connect_timeout: float = 30, grace: float = 5):
        self.upline = upline
        self.connect_timeout = connect_timeout
        self.grace = grace  # how long envelopes already being handled may take to be acked at shutdown
        self._handler: AsyncSocketModeHandler | None = None
        self._in_flight: set[asyncio.Task] = set()
        self._envelopes = DeliveryKeys(upline.unit_of_work, upline.clock)

    async def open(self) -> None:
        """Connect, or raise SocketModeUnavailable at once: a refused token is not worth retrying."""
        app_token = self.upline.settings.app_token
        # apps.connections.open goes to SLACK_API_URL like every other call: the sandbox and the tests
        # stand in for Slack there. Bolt's own client would do too, but it carries the bot token.
        web_client = AsyncWebClient(base_url=self.upline.settings.slack_api_url)
        handler = AsyncSocketModeHandler(self.upline.bolt, app_token, web_client=web_client)
        handler.client.socket_mode_request_listeners[:] = [self._tracked(handler)]
        try:
            # The first URL is asked for here: the SDK's connect() retries a refused token forever,
            # where `upline run` should say what is wrong and stop.
            handler.client.wss_uri = (await web_client.apps_connections_open(app_token=app_token))["url"]
            await asyncio.wait_for(handler.client.connect(), self.connect_timeout)
        except BaseException as error:
            await handler.client.close()
            if isinstance(error, SlackApiError):
                code = error.response.get("error")
                hint = (" (SLACK_APP_TOKEN must be this app's app-level xapp- token, with connections:write)"
                        if code in TOKEN_ERRORS else "")
                raise SocketModeUnavailable(f"Slack would not open a Socket Mode connection: {code}{hint}") from error
            if isinstance(error, aiohttp.ClientError | OSError | TimeoutError):
                raise SocketModeUnavailable(f"cannot reach Slack's Socket Mode at "
                                            f"{self.upline.settings.slack_api_url}: {error or type(error).__name__}"
                                            ) from error
            raise
        self._handler = handler
        log.info("connected to Slack in Socket Mode")

    async def connected(self) -> bool:
        return self._handler is not None and await self._handler.client.is_connected()

    async def close(self) -> None:
        """Let the envelopes being handled send their acks, then hang up."""
        if self._in_flight:
            await asyncio.wait(set(self._in_flight), timeout=self.grace)
        if self._handler is not None:
            await self._handler.close_async()
            self._handler = None

    async def serve(self, server: uvicorn.Server) -> None:
        """Connect, serve `server` (the health app) until it is told to exit, then disconnect."""
        await self.open()
        try:
            await server.serve()
        finally:
            await self.close()

    def health_app(self) -> Starlette:
        """`/healthz` (503 while the socket is down, else the HTTP app's own check) and `/metrics`."""
        endpoints = {route.path: route.endpoint for route in self.upline.asgi().routes}
        loops_and_database = endpoints["/healthz"]

        async def healthz(request: Request) -> Response:
            if not await self.connected():
                return PlainTextResponse("unhealthy: the Socket Mode connection to Slack is down\n", status_code=503)
            return await loops_and_database(request)

        return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]),
                                 Route("/metrics", endpoints["/metrics"], methods=["GET"])])

    def _tracked(self, handler: AsyncSocketModeHandler):
        async def handle(client, request: SocketModeRequest) -> None:
            task = asyncio.current_task()
            if task is not None:
                self._in_flight.add(task)
            try:
                with self.upline.in_flight.request():  # deliveries let it go first, as over HTTP
                    if await self._first_time(request):
                        await handler.handle(client, request)
                    else:
                        log.info("dropping repeated envelope %s (%s)", request.envelope_id, request.type)
                        await client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))
            finally:
                self._in_flight.discard(task)

        return handle

    async def _first_time(self, request: SocketModeRequest) -> bool:
        if not isinstance(request.envelope_id, str) or not request.envelope_id:
            return True  # nothing to know it by (nor to ack it with)
        try:  # off the event loop, like every other commit; prefixed, so it never meets an event_id
            return await asyncio.to_thread(self._envelopes.first_time, f"envelope:{request.envelope_id}")
        except Exception as error:
            if not out_of_reach(error):
                raise
            # Then nothing can be committed either: the handler answers "try again", as over HTTP.
            log.warning("cannot check envelope %s for a repeat: the database is out of reach", request.envelope_id)
            return True
