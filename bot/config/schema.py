"""The shape of app.yaml: typed, strict (unknown keys are errors) and immutable once loaded.

These models check each value on its own (a duration parses, a time zone exists). Rules that span the
file — unknown people, duplicate areas, parent cycles — live in `bot.config.rules`, and `bot.config.load`
turns both kinds of problem into located messages. After loading, every reference to a person (lead,
core, area maintainers) is the key of an entry in `people`, so the rest of the code never has to guess
whether a string is a handle or a Slack ID.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from bot.domain.decision_policy import CONFIGURABLE_RULES, Rule
from bot.domain.durations import parse_duration
from bot.domain.working_time import check_holidays_code

SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
SLACK_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
AREA_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")
# A key is a word typed in commands, and tickets store its rung as "area:<key>" in a 100-character column.
AREA_KEY_MAX = 40
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _as_duration(value: object) -> object:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, timedelta):
        return value
    raise ValueError(f"invalid duration {value!r}: write a number and a unit, e.g. 90s, 1h30m, 2d")


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("must be longer than zero")
    return value


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}: use an IANA name such as Europe/London") from None
    return value


def _holiday_calendar(value: str) -> str:
    check_holidays_code(value)
    return value


Duration = Annotated[timedelta, BeforeValidator(_as_duration), AfterValidator(_positive)]
TimeZone = Annotated[str, AfterValidator(_time_zone)]
HolidayCalendar = Annotated[str, AfterValidator(_holiday_calendar)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KindSla(Strict):
    """The promises for one kind of ticket: time to acknowledge (per rung) and to resolve (overall)."""

    ack: Duration | None = None
    resolve: Duration | None = None


class BusinessHours(Strict):
    """When SLA time runs; outside these hours (and on holidays) the clocks stand still."""

    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = ["mon", "tue", "wed", "thu", "fri"]
    start: ClockTime = time(9, 0)
    end: ClockTime = time(17, 0)
    tz: TimeZone = "UTC"

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: time, info) -> time:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"end {end:%H:%M} must be after start {start:%H:%M}")
        return end

    @field_validator("days")
    @classmethod
    def _some_days(cls, days: list[str]) -> list[str]:
        if not days:
            raise ValueError("name at least one working day (mon … sun)")
        return days


def _clock_time(value: object) -> object:
    # "9:30" is how people write times; pydantic wants "09:30".
    if isinstance(value, str) and re.fullmatch(r"\d:\d\d", value.strip()):
        return "0" + value.strip()
    return value


ClockTime = Annotated[time, BeforeValidator(_clock_time)]


def _reminder(value: float) -> float:
    if not 0 < value < 1:
        raise ValueError(f"reminder {value} must be a fraction of the ack window between 0 and 1, e.g. 0.5")
    return value


Reminder = Annotated[float, AfterValidator(_reminder)]


class SlaOverride(Strict):
    """An area's changes to the project-wide SLA; anything left out is inherited."""

    question: KindSla | None = None
    escalation: KindSla | None = None
    reminders: list[Reminder] | None = None
    hours: BusinessHours | None = None
    holidays: HolidayCalendar | None = Field(default=None, description="country code, with subdivision: US-CA")


class Sla(Strict):
    """The project-wide SLA defaults, per kind."""

    question: KindSla = KindSla(ack=timedelta(days=1), resolve=timedelta(days=7))
    escalation: KindSla = KindSla(ack=timedelta(hours=4), resolve=timedelta(days=2))
    reminders: list[Reminder] = [0.5, 0.9]
    hours: BusinessHours | None = None
    holidays: HolidayCalendar | None = None


def _rule(value: object) -> object:
    if not isinstance(value, str) or value not in {rule.value for rule in CONFIGURABLE_RULES}:
        raise ValueError(f"unknown rule {value!r}: use majority, supermajority, unanimous or lazy_consensus")
    return Rule(value)


def _fraction(value: object) -> object:
    # bool is an int to Python, and pydantic would take `true` as 1.0.
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        shown = repr(value) if isinstance(value, str) else value
        raise ValueError(f"{shown} must be a fraction in (0, 1]")
    return float(value)


def _channel_id(value: object) -> object:
    if not isinstance(value, str) or not SLACK_CHANNEL_ID.match(value):
        raise ValueError(f"{value!r} is not a Slack channel ID (they look like C012AB3CD)")
    return value


def weekly_time(text: str) -> tuple[int, time]:
    """`"mon 09:00"` (or `"Monday 9:00"`) -> (1, 09:00): an ISO weekday and a local time."""
    day, _, clock = text.strip().lower().partition(" ")
    try:
        weekday = next(number for number, name in enumerate(DAY_NAMES, start=1) if day in (name, name[:3]))
        return weekday, time.fromisoformat(_clock_time(clock.strip()))
    except (StopIteration, ValueError):
        raise ValueError(f"{text!r} must be a weekday and a local time, e.g. \"mon 09:00\"") from None


def _weekly(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} must be a weekday and a local time, e.g. \"mon 09:00\"")
    weekly_time(value)
    return value


VoteRule = Annotated[Rule, BeforeValidator(_rule)]
Fraction = Annotated[float, BeforeValidator(_fraction)]
ChannelId = Annotated[str, BeforeValidator(_channel_id)]
Weekly = Annotated[str, BeforeValidator(_weekly)]


class CoreVotes(Strict):
    """How the core votes on what reaches it."""

    rule: VoteRule | None = None
    duration: Duration | None = None


class Decisions(Strict):
    """How a group decides (top level: the project's defaults; under an area: its overrides, inherited)."""

    rule: VoteRule | None = None
    quorum: Fraction | None = None
    duration: Duration | None = None
    rationale_within: Duration | None = None
    veto_window: Duration | None = None
    channel: ChannelId | None = None
    core: CoreVotes | None = None


class Governance(Strict):
    review_every: Duration | None = None
    inactive_after: Duration | None = None
    lead_removal: Fraction | None = None


def _project_wide(value: object) -> object:
    raise ValueError("is set once for the whole project, under the top-level `governance:`")


class AreaGovernance(Strict):
    """An area may set only how long a maintainer may be inactive before emeritus is suggested."""

    inactive_after: Duration | None = None
    review_every: Annotated[object, AfterValidator(_project_wide)] = None
    lead_removal: Annotated[object, AfterValidator(_project_wide)] = None


class Digest(Strict):
    """A weekly digest: present (even empty) means on; an area's changes what it names."""

    every: Weekly | None = None
    tz: TimeZone | None = None


class Core(Strict):
    maintainers: list[str] = []
    emeritus: list[str] = []
    channel: str | None = None


class Area(Strict):
    """One module of the project; `parent` nests it under another area."""

    key: str
    name: str | None = None
    maintainers: list[str] = []
    emeritus: list[str] = []
    channel: str | None = None
    aliases: list[str] = []
    keywords: list[str] = []
    paths: list[str] = []
    parent: str | None = None
    sunset: bool = False
    sla: SlaOverride | None = None
    decisions: Decisions | None = None
    governance: AreaGovernance | None = None
    digest: Digest | None = None

    @field_validator("key")
    @classmethod
    def _key_shape(cls, key: str) -> str:
        if not AREA_KEY.match(key):
            raise ValueError(f"area key {key!r} must be one word of letters, digits, '.', '_', '+' or '-'")
        if len(key) > AREA_KEY_MAX:
            raise ValueError(f"area key {key[:20]!r}… is {len(key)} characters long: it is typed in commands, "
                             f"keep it to {AREA_KEY_MAX} at most (put the long form in `name`)")
        return key

    @property
    def title(self) -> str:
        return self.name or self.key


class Person(Strict):
    """Someone on the ladder, keyed in `people` by GitHub handle (or by name when they have none)."""

    slack: str | None = None
    tz: TimeZone | None = None
    name: str | None = None

    @field_validator("slack")
    @classmethod
    def _slack_shape(cls, slack: str | None) -> str | None:
        if slack is not None and not SLACK_USER_ID.match(slack):
            raise ValueError(f"{slack!r} is not a Slack user ID (they look like U012AB3CD)")
        return slack


class Config(Strict):
    """A whole, validated app.yaml."""

    project: str
    lead: str
    core: Core
    sla: Sla = Sla()
    areas: list[Area] = []
    people: dict[str, Person] = {}
    decisions: Decisions | None = None
    governance: Governance | None = None
    digest: Digest | None = None

    def area(self, key: str) -> Area | None:
        folded = key.casefold()
        return next((area for area in self.areas if area.key.casefold() == folded), None)

    def person(self, key: str) -> Person:
        return self.people[key]

    def slack_id(self, key: str) -> str | None:
        return self.people[key].slack

    def display_name(self, key: str) -> str:
        return self.people[key].name or key
