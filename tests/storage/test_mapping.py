"""Domain objects <-> rows without a database: the policy snapshot and paused clocks survive exactly."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

from bot.domain.ticket import Event, Kind, SlaPolicy, State, Ticket
from storage.mapping import (
    event_from_row,
    event_to_row,
    policy_from_json,
    policy_to_json,
    ticket_from_row,
    ticket_to_row,
)
from tests.storage.conftest import NOW, make_ticket


def test_policy_snapshot_is_plain_json_with_durations_in_seconds():
    snapshot = policy_to_json(make_ticket().policy)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["ack"] == 8 * 3600
    assert snapshot["hours"] == {"days": [1, 2, 3, 4, 5], "start": "09:00", "end": "17:00", "tz": "Europe/London"}


def test_policy_round_trips_with_fractional_seconds_and_no_working_hours():
    policy = SlaPolicy(ack=timedelta(seconds=90, microseconds=250), resolve=timedelta(days=2), reminders=())
    assert policy_from_json(json.loads(json.dumps(policy_to_json(policy)))) == policy


def test_an_older_snapshot_without_newer_keys_takes_the_defaults():
    assert policy_from_json({"ack": 60, "resolve": 600}) == SlaPolicy(
        ack=timedelta(minutes=1), resolve=timedelta(minutes=10), reminders=()
    )


def test_ticket_round_trips_through_a_row():
    ticket = make_ticket(
        id=7,
        kind=Kind.ESCALATION,
        state=State.WAITING,
        waiting_since=NOW,
        ack_left=timedelta(hours=3, seconds=0.5),
        resolve_left=timedelta(days=1),
        ack_due_at=None,
        next_due_at=None,
    )
    assert ticket_from_row(ticket_to_row(ticket)) == ticket


def test_every_ticket_field_is_stored():
    stored = set(vars(ticket_to_row(make_ticket(id=1))))
    assert {field.name for field in dataclasses.fields(Ticket)} <= stored


def test_event_round_trips_through_a_row():
    event = Event("escalated", "upline", NOW, "core", reason="ack window missed", data={"from": "area:nn"})
    row = event_to_row(7, event)
    assert row.ticket_id == 7
    assert event_from_row(row) == event
