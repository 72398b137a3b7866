"""Slack's rate limits, enforced by the Web API stand-in when a test or a benchmark asks for them.

Off unless a workspace is built with them: `Workspace(rate_limits=SlackRateLimits())`. Then a call
past a limit is answered as Slack answers it — HTTP 429, `{"ok": false, "error": "ratelimited"}` and
`Retry-After` in whole seconds (at least 1) saying when the bucket that refused it has a token again —
and only that channel's or that method's calls are refused; everything else is answered at once.

What is modelled, from Slack's "Rate limits" guide (https://docs.slack.dev/apis/web-api/rate-limits):
- Limits apply "per API method per workspace/team per app": one bucket per method, per workspace.
- Tiers: Tier 1 "1+ per minute", "a small amount of burst behavior is tolerated"; Tier 2 "20+ per
  minute", "occasional bursts"; Tier 3 "50+ per minute", "sporadic bursts are welcome"; Tier 4 "100+
  per minute", "generous burst behavior". Each tier is a token bucket holding a minute's worth
  (Tier 1: two) and refilled continuously at its rate.
- Special tier: `chat.postMessage` "generally allows posting one message per second per channel, while
  also maintaining a workspace-wide limit"; posting is "1 per second, short bursts >1 allowed". So a
  bucket per channel (burst 3, refilled 1/s) and one for the whole workspace. The workspace ceiling's
  number is not in that guide; `chat.postMessage`'s reference puts it at several hundred a minute, so
  300 a minute with bursts of 50 (both our choice, like every burst size here).
- Past a limit, "HTTP 429 Too Many Requests" with a `Retry-After` header: "the number of seconds until
  you can retry". A refused call takes no token, so retrying early keeps the same answer.
- Method tiers (each method's reference page): `chat.update`, `conversations.open`, `.info`, `.history`
  and `.replies` are Tier 3 (`.history`/`.replies` at Tier 3 as for internal apps — the 2025 limits for
  commercially distributed non-Marketplace apps are not modelled); `chat.postEphemeral`,
  `chat.getPermalink`, `views.publish`, `.open`, `.push`, `.update` and `users.info` Tier 4; `users.list`
  Tier 2; `apps.connections.open` Tier 1. Methods without a tier here (`auth.test`) are never limited.

Every call the limiter sees is counted, answered or refused, per method and per channel:
`workspace.rate_limiter.tally(method="chat.postMessage", channel="C0NN")` → `Tally(answered=3, limited=1)`.
Time is the workspace's `monotonic`, so tests move a hand-made clock instead of sleeping.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

POST_MESSAGE = "chat.postMessage"
_EPSILON = 1e-9  # so float refills that land a hair under a whole token still count as one


@dataclass(frozen=True)
class Rate:
    """A token bucket's shape: `burst` calls at once, refilled at `per_minute` calls a minute."""

    per_minute: float
    burst: int

    def __post_init__(self) -> None:
        if self.per_minute <= 0 or self.burst < 1:
            raise ValueError(f"a rate needs per_minute > 0 and burst >= 1, not {self}")

    @property
    def per_second(self) -> float:
        return self.per_minute / 60


TIER_RATES: Mapping[int, Rate] = {1: Rate(1, burst=2), 2: Rate(20, burst=20), 3: Rate(50, burst=50),
                                  4: Rate(100, burst=100)}

METHOD_TIERS: Mapping[str, int] = {
    "apps.connections.open": 1,
    "users.list": 2,
    "chat.update": 3,
    "conversations.open": 3,
    "conversations.info": 3,
    "conversations.history": 3,
    "conversations.replies": 3,
    "chat.postEphemeral": 4,
    "chat.getPermalink": 4,
    "users.info": 4,
    "views.publish": 4,
    "views.open": 4,
    "views.push": 4,
    "views.update": 4,
}


@dataclass(frozen=True)
class SlackRateLimits:
    """The numbers to enforce; every one can be changed, e.g. small buckets for a quick test:
    `SlackRateLimits(post_per_channel=Rate(60, burst=2), tiers={**TIER_RATES, 3: Rate(3, burst=3)})`.
    A tier missing from `tiers`, or a method missing from `method_tiers`, is not limited."""

    post_per_channel: Rate = Rate(60, burst=3)
    post_per_workspace: Rate = Rate(300, burst=50)
    tiers: Mapping[int, Rate] = field(default_factory=lambda: dict(TIER_RATES))
    method_tiers: Mapping[str, int] = field(default_factory=lambda: dict(METHOD_TIERS))

    def method_rate(self, method: str) -> Rate | None:
        tier = self.method_tiers.get(method)
        return None if tier is None else self.tiers.get(tier)


@dataclass(frozen=True)
class Tally:
    answered: int = 0  # let through to the method (which may still answer an error of its own)
    limited: int = 0  # answered 429


class _Bucket:
    def __init__(self, rate: Rate, now: float):
        self.rate = rate
        self.tokens = float(rate.burst)
        self.updated_at = now

    def wait(self, now: float) -> float:
        """Seconds until this bucket has a whole token; 0 when it has one now."""
        elapsed = max(0.0, now - self.updated_at)  # a clock moved backwards refills nothing
        self.tokens = min(float(self.rate.burst), self.tokens + elapsed * self.rate.per_second)
        self.updated_at = max(self.updated_at, now)
        missing = 1.0 - self.tokens
        return 0.0 if missing <= _EPSILON else missing / self.rate.per_second

    def take(self) -> None:
        self.tokens = max(0.0, self.tokens - 1.0)


class RateLimiter:
    """The buckets and counts of one workspace. Thread-safe: the stand-in answers on uvicorn's thread
    while a test reads the counts on its own."""

    def __init__(self, limits: SlackRateLimits, monotonic: Callable[[], float]):
        self.limits = limits
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._counts: Counter[tuple[str, str | None, bool]] = Counter()  # (method, channel, limited)

    def admit(self, method: str, channel: str | None = None) -> int | None:
        """Take the call's tokens and return None, or take nothing and return its `Retry-After`.

        `channel` is the conversation the call names (an ID where it can be resolved): it picks
        `chat.postMessage`'s bucket and is what the call is counted under."""
        now = self._monotonic()
        with self._lock:
            buckets = [self._bucket(key, rate, now) for key, rate in self._rates(method, channel)]
            wait = max((bucket.wait(now) for bucket in buckets), default=0.0)
            self._counts[(method, channel, wait > 0)] += 1
            if wait > 0:
                return max(1, math.ceil(wait - _EPSILON))
            for bucket in buckets:
                bucket.take()
            return None

    def tally(self, *, method: str | None = None, channel: str | None = None) -> Tally:
        """Calls answered and refused, of one method, in one channel, or both (neither: all calls)."""
        with self._lock:
            counts = list(self._counts.items())
        answered = limited = 0
        for (call_method, call_channel, was_limited), number in counts:
            if method not in (None, call_method) or channel not in (None, call_channel):
                continue
            if was_limited:
                limited += number
            else:
                answered += number
        return Tally(answered, limited)

    def by_method(self) -> dict[str, Tally]:
        with self._lock:
            methods = sorted({method for method, _, _ in self._counts})
        return {method: self.tally(method=method) for method in methods}

    def by_channel(self) -> dict[str, Tally]:
        """Calls that named a conversation, per conversation (all methods together)."""
        with self._lock:
            channels = sorted({channel for _, channel, _ in self._counts if channel is not None})
        return {channel: self.tally(channel=channel) for channel in channels}

    def _rates(self, method: str, channel: str | None) -> list[tuple[tuple[str, str], Rate]]:
        if method == POST_MESSAGE:
            rates = [(("workspace", POST_MESSAGE), self.limits.post_per_workspace)]
            if channel is not None:
                rates.append((("channel", channel), self.limits.post_per_channel))
            return rates
        rate = self.limits.method_rate(method)
        return [] if rate is None else [(("method", method), rate)]

    def _bucket(self, key: tuple[str, str], rate: Rate, now: float) -> _Bucket:
        if key not in self._buckets:
            self._buckets[key] = _Bucket(rate, now)
        return self._buckets[key]
