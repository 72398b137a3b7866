"""The clock buttons stop at each weekly digest on the way, so that it goes out at its moment.

A running Upline sends Monday's digest within seconds of Monday 09:00. A clock that jumped a day ahead
in one step would find it due at the jump's end, hours after its moment, as after downtime: marked
late, "when Upline was not running". So "+1d" stops at each digest moment it passes and sweeps
everything there (`bot.app.sweep_all`: the tickets' clocks first, so the digest shows each ticket
where it stands at that moment), then goes on; the rest is swept at the jump's end, as always.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.clock import OffsetClock

log = logging.getLogger(__name__)
MAX_STOPS = 20  # then the rest in one step: a +1w passes one digest per scope's schedule
MIN_STEP = timedelta(seconds=1)  # a stop that sent nothing still moves the clock on


def advance_through_digests(clock: OffsetClock, by: timedelta, next_digest: Callable[[], datetime | None] | None,
                            sweep: Callable[[datetime], object] | None) -> None:
    """Grow the clock's offset by exactly `by` (real time flows meanwhile), in steps that stop at each
    digest moment on the way and sweep there."""
    left = by
    try:
        for _ in range(MAX_STOPS if next_digest is not None and sweep is not None else 0):
            due = next_digest()
            if due is None or due - clock.now() >= left:
                break
            step = max(due - clock.now(), MIN_STEP)
            clock.advance(step)
            left -= step
            sweep(clock.now())
    except Exception:  # the rest of the way in one step; the background sweeper tries again there
        log.exception("sweeping at a digest's moment on the way to the clock's new time failed")
    clock.advance(left)
