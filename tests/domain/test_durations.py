"""Durations as app.yaml spells them."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.durations import format_duration, parse_duration


@pytest.mark.parametrize(("text", "expected"), [
    ("90s", timedelta(seconds=90)),
    ("15m", timedelta(minutes=15)),
    ("1h30m", timedelta(hours=1, minutes=30)),
    ("2d", timedelta(days=2)),
    ("1w", timedelta(weeks=1)),
    ("1w2d3h4m5s", timedelta(weeks=1, days=2, hours=3, minutes=4, seconds=5)),
    (" 1H 30M ", timedelta(hours=1, minutes=30)),
    ("0s", timedelta(0)),
    ("-4h", timedelta(hours=-4)),
])
def test_parses_what_people_write(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "1", "h", "1x", "1.5h", "1h1h", "soon", "1h-30m"])
def test_rejects_anything_else_and_says_how_to_write_it(text):
    with pytest.raises(ValueError, match=r"invalid duration"):
        parse_duration(text)


durations = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(weeks=520)).map(
    lambda value: timedelta(seconds=int(value.total_seconds())))


@given(durations)
def test_format_then_parse_is_the_identity(value):
    assert parse_duration(format_duration(value)) == value


@given(durations)
def test_negative_durations_round_trip_too(value):
    assert parse_duration(format_duration(-value)) == -value


@given(st.lists(st.sampled_from("wdhms"), min_size=1, max_size=5, unique=True),
       st.lists(st.integers(min_value=0, max_value=10_000), min_size=5, max_size=5))
def test_parts_add_up_in_any_order(units, numbers):
    seconds = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
    text = "".join(f"{number}{unit}" for number, unit in zip(numbers, units, strict=False))
    expected = sum(number * seconds[unit] for number, unit in zip(numbers, units, strict=False))
    assert parse_duration(text) == timedelta(seconds=expected)


def test_formats_the_shortest_spelling():
    assert format_duration(timedelta(hours=1, minutes=30)) == "1h30m"
    assert format_duration(timedelta(days=8)) == "1w1d"
    assert format_duration(timedelta(0)) == "0s"
