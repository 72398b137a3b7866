"""A storm under Slack's real limits: 300 questions in nn breach together, and everything climbs to #core
at once. The stand-in enforces Slack's limits (one post a second per channel, a workspace ceiling,
per-method tiers) and Upline paces itself to them, all on the world's fake clock, so the simulation
runs in seconds: deliveries run, then the clock jumps to the next moment something may go.

Every breach reaches #core exactly once — in a summary or alone — the first within a second of its
deadline, none is parked, and a ping to another channel at the same moment goes out at once.
"""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import deliver_counted
from bot.domain.ticket import Kind
from bot.sandbox.rate_limits import SlackRateLimits
from bot.services.pacing import SlackPacing, Unpaced
from bot.services.tickets import NewTicket
from storage.repositories import LOW
from storage.tables import OutboxRow
from tests.slack.conftest import ASKER, START

STORM = 300
NN, CORE, OPTIM = "C0NN", "C0CORE", "C0OPTIM"
DEADLINE = START + timedelta(hours=8)  # nn's question ack window


@pytest.fixture
def world_limits():
    return SlackRateLimits()


@pytest.fixture
def world_pacing():
    return lambda clock: SlackPacing(monotonic=lambda: clock.now().timestamp())


@contextlib.contextmanager
def unlimited(world):
    """Slack's limits off on both sides for a while (the setting up of a test)."""
    limiter, pacing = world.workspace.rate_limiter, world.upline.notifier.pacing
    world.workspace.rate_limiter, world.upline.notifier.pacing = None, Unpaced()
    try:
        yield
    finally:
        world.workspace.rate_limiter, world.upline.notifier.pacing = limiter, pacing


def outbox_pending_at(world):
    with world.upline.unit_of_work(read_only=True) as uow:
        return uow.outbox.next_attempt_at()


def run_deliveries(world, until, on_pass=lambda: None, passes=20_000):
    """Deliver what is due; jump the clock to the next moment something may go; stop at `until`."""
    for _ in range(passes):
        report = world.server.call(_deliver(world))
        on_pass()
        if report.handled:
            continue
        next_at = outbox_pending_at(world)
        if next_at is None or next_at > until:
            return
        world.clock.advance(max(next_at - world.clock.now(), timedelta(0)))
    raise AssertionError("deliveries did not settle")


async def _deliver(world):
    return await deliver_counted(world.upline, world.clock.now())


def named_in(message) -> set[int]:
    text = message.text + str(message.blocks or "")
    return {int(number) for number in re.findall(r"#(\d+)\b", text)}


def test_a_storm_of_breaches_reaches_core_once_each_paced_and_nothing_else_waits(world):
    world.upline.tickets.open_many([NewTicket(ASKER, Kind.QUESTION, "nn", f"Question {n} about hooks")
                                    for n in range(STORM)], world.clock.now())
    with unlimited(world):  # the pings went out over the morning; only the storm is under test
        world.deliver()
    assert len(world.workspace.history(NN)) == STORM

    world.clock.advance(DEADLINE - world.clock.now())
    world.upline.tickets.sweep_due(world.clock.now())  # all 300 climb to the core at once
    world.command("/ask", "optim Why does Adam allocate twice?")  # meanwhile, elsewhere

    first_seen: dict[int, object] = {}
    optim_ping_at = []
    scrapes = []

    def look() -> None:
        if len(scrapes) < 40:
            scrapes.append(world.http.get(f"{world.server.url}/metrics").text)
        for message in world.workspace.history(CORE):
            for number in named_in(message):
                first_seen.setdefault(number, world.clock.now())
        if not optim_ping_at and world.workspace.history(OPTIM):
            optim_ping_at.append(world.clock.now())

    run_deliveries(world, until=DEADLINE + timedelta(minutes=2), on_pass=look)

    core_posts = world.workspace.history(CORE)
    times_named = {number: sum(number in named_in(post) for post in core_posts) for number in range(1, STORM + 1)}
    assert set(times_named.values()) == {1}, "every breach reaches #core exactly once"
    assert min(first_seen.values()) - DEADLINE <= timedelta(seconds=1)
    assert len(core_posts) < STORM / 10, "the storm is summarized, not one post each"
    assert optim_ping_at and optim_ping_at[0] - DEADLINE <= timedelta(seconds=1), "another channel did not wait"
    with world.upline.unit_of_work(read_only=True) as uow:
        assert uow.outbox.depth("parked") == 0
        late = uow.session.scalars(select(OutboxRow.priority).where(OutboxRow.status == "pending")).all()
        assert set(late) <= {LOW}, "two minutes on, only refreshes and the asker's notes still wait their turn"
    assert any('upline_outbox_lane_waiting{lane="C0CORE"}' in scrape for scrape in scrapes), \
        "/metrics shows what waits for Slack, by conversation or method"
    assert "upline_outbox_wait_seconds_count" in scrapes[-1]
    assert 'upline_slack_calls_paced_total{method="chat.postMessage"}' in scrapes[-1]
    limiter = world.workspace.rate_limiter
    assert limiter.tally().limited <= 3, "Upline slows down instead of hitting 429s"
    everyone = [f"<@{user}>" for user in ("U0EZYANG", "U0GCHANAN", "U0MALFET", "U0NGIMEL")]
    assert all(mention in str(core_posts[0].blocks) for mention in everyone), "a summary names whom it is for"
