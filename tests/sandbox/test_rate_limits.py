"""Slack's rate limits in the Web API stand-in: real slack_sdk clients over real HTTP, with no retry
handlers so every 429 reaches the test, and a hand-moved clock instead of sleeping."""

from __future__ import annotations

import asyncio

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.sandbox.rate_limits import TIER_RATES, Rate, RateLimiter, SlackRateLimits, Tally
from bot.sandbox.slack_api import SlackApiServer, Workspace

SMALL = SlackRateLimits(post_per_channel=Rate(60, burst=3), tiers={**TIER_RATES, 3: Rate(3, burst=3)})


class HandMovedMonotonic:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def clock() -> HandMovedMonotonic:
    return HandMovedMonotonic()


@pytest.fixture(scope="module")
def server():
    with SlackApiServer() as running:
        yield running


def start(server: SlackApiServer, clock: HandMovedMonotonic, limits: SlackRateLimits | None) -> Workspace:
    workspace = server.use(Workspace(monotonic=clock, rate_limits=limits))
    workspace.add_channel("C0NN", "nn")
    workspace.add_channel("C0CORE", "core")
    return workspace


@pytest.fixture
def workspace(server, clock) -> Workspace:
    return start(server, clock, SMALL)


@pytest.fixture
def client(server, workspace) -> WebClient:
    return WebClient(token=workspace.bot_token, base_url=server.base_url, retry_handlers=[])


def refused(call, **kwargs) -> SlackApiError:
    with pytest.raises(SlackApiError) as raised:
        call(**kwargs)
    return raised.value


def test_burst_to_one_channel_is_refused_with_retry_after_once_the_burst_is_spent(client, workspace):
    for n in range(3):
        client.chat_postMessage(channel="C0NN", text=f"#{n} ping")
    error = refused(client.chat_postMessage, channel="C0NN", text="#3 ping")
    assert error.response.status_code == 429
    assert error.response["error"] == "ratelimited" and error.response.headers["retry-after"] == "1"
    assert [m.text for m in workspace.messages("C0NN")] == ["#0 ping", "#1 ping", "#2 ping"]
    assert [c.status for c in workspace.calls if c.method == "chat.postMessage"] == [200, 200, 200, 429]


def test_a_busy_channel_does_not_hold_up_another(client):
    for n in range(3):
        client.chat_postMessage(channel="C0NN", text=f"#{n} ping")
    assert refused(client.chat_postMessage, channel="C0NN", text="one too many").response.status_code == 429
    assert client.chat_postMessage(channel="C0CORE", text="#9 escalation")["ok"]
    assert client.chat_postMessage(channel="#core", text="same channel by name")["ok"]


def test_after_retry_after_the_same_channel_answers_again_one_message_a_second(client, clock):
    for n in range(3):
        client.chat_postMessage(channel="C0NN", text=f"#{n} ping")
    retry_after = int(refused(client.chat_postMessage, channel="C0NN", text="#3").response.headers["retry-after"])
    clock.seconds += retry_after
    assert client.chat_postMessage(channel="C0NN", text="#3 ping")["ok"]
    assert refused(client.chat_postMessage, channel="C0NN", text="#4").response.headers["retry-after"] == "1"


def test_retrying_early_takes_no_token_and_keeps_the_same_wait(client, clock):
    for n in range(3):
        client.chat_postMessage(channel="C0NN", text=f"#{n} ping")
    clock.seconds += 0.5
    for _ in range(4):
        assert refused(client.chat_postMessage, channel="C0NN", text="again").response.headers["retry-after"] == "1"
    clock.seconds += 0.5
    assert client.chat_postMessage(channel="C0NN", text="#3 ping")["ok"]


def test_a_tier_3_method_is_limited_per_minute_independently_of_posting(client, workspace, clock):
    ping = client.chat_postMessage(channel="C0NN", text="#1 open")
    for state in ("acknowledged", "waiting on asker", "resolved"):
        client.chat_update(channel="C0NN", ts=ping["ts"], text=f"#1 {state}")
    error = refused(client.chat_update, channel="C0NN", ts=ping["ts"], text="#1 reopened")
    assert error.response.status_code == 429 and error.response.headers["retry-after"] == "20"  # 3 a minute
    assert client.chat_postMessage(channel="C0NN", text="#2 open")["ok"]  # posting has buckets of its own
    assert client.conversations_info(channel="C0NN")["ok"]  # so does every other Tier 3 method
    assert workspace.message("C0NN", ping["ts"]).text == "#1 resolved"
    clock.seconds += 20
    assert client.chat_update(channel="C0NN", ts=ping["ts"], text="#1 reopened")["ok"]


def test_workspace_wide_ceiling_on_posting_spans_channels(server, clock):
    limits = SlackRateLimits(post_per_channel=Rate(60, burst=10), post_per_workspace=Rate(120, burst=2))
    workspace = start(server, clock, limits)
    client = WebClient(token=workspace.bot_token, base_url=server.base_url, retry_handlers=[])
    client.chat_postMessage(channel="C0NN", text="#1")
    client.chat_postMessage(channel="C0CORE", text="#2")
    error = refused(client.chat_postMessage, channel="C0NN", text="#3")
    assert error.response.status_code == 429 and error.response.headers["retry-after"] == "1"  # 2 a second
    assert client.chat_postEphemeral(channel="C0NN", user=workspace.bot_user_id, text="only you")["ok"]
    clock.seconds += 0.5
    assert client.chat_postMessage(channel="C0NN", text="#3")["ok"]


def test_answered_and_refused_calls_are_counted_per_method_and_per_channel(client, workspace):
    for n in range(3):
        client.chat_postMessage(channel="#nn", text=f"#{n}")
    refused(client.chat_postMessage, channel="C0NN", text="#3")
    client.chat_postMessage(channel="C0CORE", text="#9")
    client.auth_test()
    limiter = workspace.rate_limiter
    assert limiter.tally(method="chat.postMessage", channel="C0NN") == Tally(answered=3, limited=1)
    assert limiter.by_channel() == {"C0CORE": Tally(1, 0), "C0NN": Tally(3, 1)}
    assert limiter.by_method() == {"auth.test": Tally(1, 0), "chat.postMessage": Tally(4, 1)}
    assert limiter.tally() == Tally(5, 1)
    assert [c.status for c in workspace.calls].count(429) == 1


def test_a_concurrent_burst_from_the_async_client_gets_exactly_the_burst(server, workspace):
    async def burst() -> list[int]:
        client = AsyncWebClient(token=workspace.bot_token, base_url=server.base_url, retry_handlers=[])

        async def post(n: int) -> int:
            try:
                return (await client.chat_postMessage(channel="C0NN", text=f"#{n}")).status_code
            except SlackApiError as error:
                return error.response.status_code

        return await asyncio.gather(*(post(n) for n in range(8)))

    assert sorted(asyncio.run(burst())) == [200] * 3 + [429] * 5
    assert len(workspace.messages("C0NN")) == 3


def test_limits_are_off_by_default(server, clock):
    workspace = start(server, clock, None)
    client = WebClient(token=workspace.bot_token, base_url=server.base_url, retry_handlers=[])
    ping = client.chat_postMessage(channel="C0NN", text="#1")
    for n in range(60):
        client.chat_postMessage(channel="C0NN", text=f"#{n}")
        client.chat_update(channel="C0NN", ts=ping["ts"], text=f"#1 v{n}")
    assert workspace.rate_limiter is None
    assert {c.status for c in workspace.calls} == {200}


def test_defaults_follow_slacks_tiers(clock):
    limiter = RateLimiter(SlackRateLimits(), clock)
    assert [limiter.admit("conversations.open") for _ in range(50)] == [None] * 50
    assert limiter.admit("conversations.open") == 2  # Tier 3: a token every 1.2 s
    assert [limiter.admit("views.publish") for _ in range(100)] == [None] * 100
    assert limiter.admit("views.publish") == 1  # Tier 4: a token every 0.6 s
    assert [limiter.admit("users.list") for _ in range(21)][-1] == 3  # Tier 2: every 3 s
    assert all(limiter.admit("auth.test") is None for _ in range(500))  # not limited
    assert [limiter.admit("chat.postMessage", "C0NN") for _ in range(4)] == [None, None, None, 1]


def test_a_default_workspace_ceiling_refuses_posts_across_many_channels(clock):
    limiter = RateLimiter(SlackRateLimits(), clock)
    answers = [limiter.admit("chat.postMessage", f"D{n:04d}") for n in range(51)]
    assert answers[:50] == [None] * 50 and answers[50] == 1  # 300 a minute: a token every 0.2 s
    clock.seconds += 0.2
    assert limiter.admit("chat.postMessage", "D9999") is None

