"""The page's Report panel: the page `upline report --format html --compare previous` writes, for the
sandbox's database, as of the sandbox's clock.

    GET /sandbox/report?since=30d          (7d, 30d, 90d or any positive duration; default 30d)
    GET /sandbox/report?since=7d&compare=none
    200 text/html: the report page (its summary table beside the period before, and its four charts)

It is the CLI's own computation and rendering (`bot.cli.report`: the period, the rows read, `render`),
so the panel and the file agree number for number. The page is self-contained and has no script, and
it is served with the Content-Security-Policy it carries itself; the panel shows it in a sandboxed
iframe, so nothing in it runs or reaches the page around it.
"""

from __future__ import annotations

import argparse
from types import SimpleNamespace

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.reporting import utc_iso
from bot.sandbox.page_api.context import PageContext
from bot.sandbox.page_api.interactions import PageError

DEFAULT_SINCE = "30d"
COMPARE = {"previous": "previous", "none": None}


async def report_page(ctx: PageContext, request: Request) -> HTMLResponse:
    from bot.reporting.html_report import CSP

    since = request.query_params.get("since") or DEFAULT_SINCE
    compare = request.query_params.get("compare", "previous")
    if compare not in COMPARE:
        raise PageError("compare is previous or none")
    # pygal draws for a while: off the page server's event loop, which serves the live stream too.
    html = await run_in_threadpool(render_report, ctx, since, COMPARE[compare])
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                                       "Cache-Control": "no-store"})


def render_report(ctx: PageContext, since: str, compare: str | None) -> str:
    """What `upline report --format html --since SINCE [--compare previous]` prints at the sandbox's now."""
    # Imported here: bot.cli imports every command, `upline sandbox` and so this page among them.
    from bot.cli.report import Loaded, period, render, report_period

    if ctx.unit_of_work is None:
        raise PageError("Upline is not running yet")
    try:
        window = period(since)
    except argparse.ArgumentTypeError as error:
        raise PageError(str(error)) from None
    with ctx.unit_of_work(read_only=True) as uow:
        span = report_period(window, None, ctx.clock.now())
        before = span.previous() if compare else None
        loaded = Loaded.read(uow, (before or span).since, span.until, with_decisions=True)
    # `render` names people from the file the sandbox runs, as the CLI does from its --config.
    args = SimpleNamespace(format="html", kind=None, config=ctx.config_path)
    title = f"Tickets opened from {utc_iso(span.since)} to {utc_iso(span.until)} (the last {window})"
    return render(args, loaded, span, before, None, title)
