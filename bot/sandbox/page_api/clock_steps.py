"""The clock buttons stop at each weekly digest on the way, so that it goes out at its moment.

A running Upline sends Monday's digest within seconds of Monday 09:00. A clock that jumped a day ahead
in one step would find it due at the jump's end, hours after its moment, as after downtime: marked
late, "when Upline was not running". So "+1d" stops at each digest moment it passes, sends what is
due there (`DigestService.sweep_due`), and goes on. Only the digests: the tickets' clocks are swept
at the jump's end, as they always were here (one rung a jump), and the digest shows them as they
were last swept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.clock import OffsetClock

log = logging.getLogger(__name__)
MAX_STOPS = 20  # then the rest in one step: a +1w passes one digest per scope's schedule
MIN_STEP = timedelta(seconds=1)  # a stop that sent nothing still moves the clock on


def advance_through_digests(clock: OffsetClock, by: timedelta,
                            send_digests: Callable[[datetime], datetime | None] | None) -> None:
    """Grow the clock's offset by exactly `by` (real time flows meanwhile), in steps that stop at each
    digest moment on the way."""
    left = by
    try:
        for _ in range(MAX_STOPS if send_digests is not None else 0):
            due = send_digests(clock.now())
            if due is None:
                break
            step = max(due - clock.now(), MIN_STEP)
            if step >= left:
                break
            clock.advance(step)
            left -= step
    except Exception:  # the rest of the way in one step; the background sweeper tries again there
        log.exception("sending the digests on the way to the clock's new time failed")
    clock.advance(left)
