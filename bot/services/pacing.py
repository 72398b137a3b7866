"""Upline's own budget for Slack's rate limits, so it slows down before Slack has to say 429.

Slack allows about one `chat.postMessage` per second per conversation (short bursts tolerated), a
workspace-wide ceiling on posting, and per-method tiers (Tier 3 ≈ 50 calls a minute for `chat.update`
and `conversations.open`, Tier 4 ≈ 100 for `chat.getPermalink` and `chat.postEphemeral`), and asks
apps to pace themselves rather than keep hitting 429s. Each limit is a token bucket here, set a
little under Slack's own. Before a Web API call the notifier asks `wait(method, channel)`: 0 takes a
token and the call goes; anything else is how long to wait, and the message is put back for that long
— without counting as a failed attempt — while messages for other conversations go on. When Slack
answers 429 anyway, `hold` empties that one bucket for its `Retry-After`.

Time is injected (`monotonic`), so tests move it by hand.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

POST = "chat.postMessage"
MIN_WAIT = 0.01  # seconds: a wait is never shorter (a database keeps microseconds, the buckets keep floats)


@dataclass(frozen=True)
class Rate:
    per_minute: float
    burst: float

    @property
    def per_second(self) -> float:
        return self.per_minute / 60


# slack_sdk method name → its tier's budget; methods not listed are not paced (auth.test).
TIER_3, TIER_4 = Rate(45, burst=10), Rate(90, burst=20)
METHOD_RATES: dict[str, Rate] = {
    "chat.update": TIER_3, "conversations.open": TIER_3, "conversations.info": TIER_3,
    "chat.getPermalink": TIER_4, "chat.postEphemeral": TIER_4, "views.publish": TIER_4,
}


@dataclass(frozen=True)
class SlackLimits:
    post_per_conversation: Rate = Rate(60, burst=3)  # one a second, a burst of three
    post_per_workspace: Rate = Rate(240, burst=30)  # Slack's ceiling is "several hundred a minute"
    methods: dict[str, Rate] = field(default_factory=lambda: dict(METHOD_RATES))


class _Bucket:
    def __init__(self, rate: Rate, now: float):
        self.rate, self.tokens, self.updated, self.held_until = rate, rate.burst, now, 0.0

    def refill(self, now: float) -> None:
        self.tokens = min(self.rate.burst, self.tokens + (now - self.updated) * self.rate.per_second)
        self.updated = now

    def wait(self, now: float) -> float:
        """Seconds until a token is there (0: there is one now)."""
        self.refill(now)
        if now < self.held_until:
            return self.held_until - now
        if self.tokens >= 1 - 1e-6:  # a whole token, give or take floating point
            return 0.0
        return max((1 - self.tokens) / self.rate.per_second, MIN_WAIT)


class SlackPacing:
    """Token buckets per conversation (posting), for the workspace (posting) and per method."""

    def __init__(self, limits: SlackLimits | None = None, monotonic: Callable[[], float] = time.monotonic):
        self.limits = limits or SlackLimits()
        self._monotonic = monotonic
        self._buckets: dict[tuple[str, str | None], _Bucket] = {}
        self._lock = threading.Lock()
        self.waited: Counter[str] = Counter()  # calls put off so far, by method (for /metrics)
        self.held: Counter[str] = Counter()  # 429s Slack answered anyway, by method

    def wait(self, method: str, channel: str | None = None) -> float:
        """0 and a token taken from every bucket the call needs; else seconds until it may go."""
        with self._lock:
            now = self._monotonic()
            buckets = [self._bucket(key, rate, now) for key, rate in self._rates(method, channel)]
            longest = max((bucket.wait(now) for bucket in buckets), default=0.0)
            if longest > 0:
                self.waited[method] += 1
                return longest
            for bucket in buckets:
                bucket.tokens -= 1
            return 0.0

    def hold(self, method: str, channel: str | None, retry_after: float) -> None:
        """Slack said 429: nothing more through this call's narrowest bucket for `retry_after` seconds."""
        with self._lock:
            self.held[method] += 1
            now = self._monotonic()
            rates = self._rates(method, channel)
            if rates:
                key, rate = rates[0]
                bucket = self._bucket(key, rate, now)
                bucket.held_until, bucket.tokens = max(bucket.held_until, now + retry_after), 0.0

    def _rates(self, method: str, channel: str | None) -> list[tuple[tuple[str, str | None], Rate]]:
        """The buckets a call draws on, narrowest first."""
        if method == POST:
            rates = [((POST, None), self.limits.post_per_workspace)]
            if channel:
                rates.insert(0, ((POST, channel), self.limits.post_per_conversation))
            return rates
        rate = self.limits.methods.get(method)
        return [((method, None), rate)] if rate else []

    def _bucket(self, key: tuple[str, str | None], rate: Rate, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(rate, now)
        return bucket


class Unpaced(SlackPacing):
    """No budget at all: for a stand-in that answers everything at once (the throughput benchmark)."""

    def wait(self, method: str, channel: str | None = None) -> float:
        return 0.0
