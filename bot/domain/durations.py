"""Durations as people write them in app.yaml: `90s`, `15m`, `1h30m`, `2d`, `1w`."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1),
          "m": timedelta(minutes=1), "s": timedelta(seconds=1)}
_PART = re.compile(r"(\d+)\s*([wdhms])")
_WHOLE = re.compile(r"(?:\d+\s*[wdhms]\s*)+")


def parse_duration(text: str) -> timedelta:
    """Parse `1h30m` into a timedelta; raise ValueError naming the accepted form otherwise.

    Zero and negative values (`-1h`) parse: whether they are allowed is the caller's rule, so the
    caller can say "must be positive" instead of "invalid".
    """
    cleaned = text.strip().lower()
    if cleaned.startswith("-"):
        return -parse_duration(cleaned[1:])
    if not _WHOLE.fullmatch(cleaned):
        raise ValueError(
            f"invalid duration {text!r}: write a number and a unit (s, m, h, d, w), e.g. 90s, 1h30m, 2d"
        )
    units_seen = [unit for _, unit in _PART.findall(cleaned)]
    if len(set(units_seen)) != len(units_seen):
        raise ValueError(f"invalid duration {text!r}: a unit appears twice")
    return sum((int(number) * _UNITS[unit] for number, unit in _PART.findall(cleaned)), timedelta())


def format_duration(value: timedelta) -> str:
    """The shortest app.yaml spelling of a duration: 5400 s -> `1h30m`; negative values get a `-`."""
    seconds = int(value.total_seconds())
    if seconds == 0:
        return "0s"
    sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
    parts = []
    for unit in "wdhms":
        size = int(_UNITS[unit].total_seconds())
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return sign + "".join(parts)
