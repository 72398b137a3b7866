"""Signed but malformed requests of every kind, thrown at the real app over real HTTP (hypothesis).

Each case is something Slack would not send: a slash command without its user or from an ID of
impossible shape, a click or a form with a field missing or of the wrong type, an event without
what its handler reads, a body that is not Slack's at all, a label that does not match the body.
Whatever it is: never a 5xx, nothing written, no exception logged without its request id — and
afterwards the app is healthy (`/healthz`) and still opens a ticket for a real `/ask`.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot.sandbox.signed_requests import FORM
from handlers.payloads import SLACK_ID
from tests.slack.conftest import ASKER

EXAMPLES = 400
TABLES = ("tickets", "events", "outbox", "away", "ticket_messages", "runtime_settings", "decisions", "ballots",
          "nominations", "elections")
COMMANDS = ["/ask", "/escalate", "/ack", "/resolve", "/reopen", "/handover", "/status", "/who", "/vote", "/dispute",
            "/veto", "/decisions", "/nominate", "/elect"]
ACTIONS = ["ticket_acknowledge", "ticket_resolve", "ticket_escalate", "ticket_wait", "ticket_replied",
           "ticket_reopen", "ticket_handover", "ask_pick_area:nn", "ask_pick_listed", "ask_pick_other",
           "home_away_until", "home_back", "decision_vote_for", "decision_recuse", "decision_write_rationale",
           "decision_lead_approve", "decision_uphold", "decision_revote", "decision_escalate_dispute",
           "nomination_ask_maintainers", "nomination_desk_reject", "nomination_call_vote", "nomination_answer",
           "election_stand", "election_not_standing", "election_rank"]
EVENTS = ["app_mention", "message", "app_home_opened"]
MISSING = object()  # a field taken away, as opposed to given a value
LOGGED_WITH_ID = re.compile(r"^request [0-9a-f]{12}\b")

# Text a form can carry (urlencode takes no lone surrogates), control characters included.
words = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), words)
junk = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(words, inner, max_size=3)), max_leaves=6)
bad_id_text = st.one_of(st.text("U0ABCDEF", min_size=41, max_size=120), st.sampled_from(["", "u0asker", "U0 ASKER"]),
                        words.map(lambda tail: "U0\x00" + tail)).filter(lambda value: not SLACK_ID.match(value))
# A value that is there, but of the wrong type (None would read as absent, which some fields may be).
non_text = junk.filter(lambda value: value is not None and not isinstance(value, str))
not_an_object = junk.filter(lambda value: value is not None and not isinstance(value, dict))
bad_id = st.one_of(bad_id_text, non_text)
gone_or = lambda strategy: st.one_of(st.just(MISSING), strategy)  # noqa: E731


def put(target: dict, path: tuple, value: Any) -> None:
    """Set (or, with MISSING, take away) the field at `path`, making the objects on the way; a list
    on the way stands for its first element (`("actions", 0, "value")`)."""
    for position, key in enumerate(path[:-1]):
        if isinstance(target, list):
            target = target[0] if target and isinstance(target[0], dict) else {}
            continue
        shape = list if isinstance(path[position + 1], int) else dict
        if not isinstance(target.get(key), shape):
            target[key] = [{}] if shape is list else {}
        target = target[key]
    if value is MISSING:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value


@st.composite
def commands(draw, requests) -> tuple[str, bytes, str]:
    fields: dict[str, Any] = requests.command_fields(draw(st.sampled_from(COMMANDS)), draw(words), user=ASKER)
    broken = draw(st.sampled_from(["user_id", "team_id", "command"]))
    fields[broken] = {"user_id": gone_or(bad_id_text), "team_id": bad_id_text, "command": st.just(MISSING)}[broken]
    fields[broken] = draw(fields[broken])
    for extra in draw(st.lists(st.sampled_from(["trigger_id", "response_url", "channel_id", "text"]), max_size=2)):
        fields[extra] = draw(gone_or(words))
    fields = {key: value for key, value in fields.items() if value is not MISSING}
    return "commands", requests.form(fields).body, draw(st.sampled_from([FORM, FORM, "application/json"]))


def block_action(action_id: str) -> dict:
    return {"type": "block_actions", "user": {"id": "U0MIKAYLA", "team_id": "T0UPLINE"},
            "team": {"id": "T0UPLINE"}, "container": {"type": "message", "channel_id": "C0NN"},
            "channel": {"id": "C0NN"}, "message": {"ts": "1732352400.000100"}, "trigger_id": "1.2.abc",
            "actions": [{"type": "button", "action_id": action_id, "block_id": "ticket_actions:1", "value": "1"}]}


def form_submission() -> dict:
    return {"type": "view_submission", "user": {"id": ASKER, "team_id": "T0UPLINE"}, "team": {"id": "T0UPLINE"},
            "view": {"type": "modal", "callback_id": "ask_modal", "state": {"values": {
                "area": {"area": {"selected_option": {"value": "nn"}}},
                "question": {"question": {"value": "How do I register a hook?"}}}}}}


# What each kind of interaction cannot do without, and what breaks it for sure.
BROKEN_ACTION = [(("user",), st.one_of(st.just(MISSING), not_an_object)), (("user", "id"), gone_or(bad_id)),
                 (("actions",), st.one_of(st.just(MISSING), not_an_object, st.just([]))),
                 (("actions", 0, "action_id"), gone_or(non_text)), (("type",), non_text),
                 (("team", "id"), bad_id), (("channel", "id"), bad_id)]
BROKEN_FORM = [(("user",), st.one_of(st.just(MISSING), not_an_object)), (("user", "id"), gone_or(bad_id)),
               (("view",), not_an_object), (("view", "type"), gone_or(non_text)),
               (("view", "state"), gone_or(not_an_object)), (("view", "state", "values"), gone_or(not_an_object)),
               (("view", "state", "values", "area"), not_an_object)]
SHAKEN_ACTION = [("actions", 0, "value"), ("actions", 0, "block_id"), ("actions", 0, "selected_option"),
                 ("actions", 0, "selected_user"), ("actions", 0, "selected_date"), ("container",), ("trigger_id",),
                 ("response_url",), ("message",), ("state",)]
SHAKEN_FORM = [("view", "state", "values", "question", "question", "value"), ("view", "callback_id"), ("team",)]


@st.composite
def interactions(draw, requests) -> tuple[str, bytes, str]:
    if draw(st.booleans()):
        payload, broken, shaken = block_action(draw(st.sampled_from(ACTIONS))), BROKEN_ACTION, SHAKEN_ACTION
    else:
        payload, broken, shaken = form_submission(), BROKEN_FORM, SHAKEN_FORM
    for path, values in draw(st.lists(st.sampled_from(broken), min_size=1, max_size=2, unique_by=lambda b: b[0])):
        put(payload, path, draw(values))
    for path in draw(st.lists(st.sampled_from(shaken), max_size=3)):
        put(payload, path, draw(gone_or(junk)))
    if draw(st.integers(0, 9)) == 0:  # the payload, not a JSON object: not Slack's at all
        body = requests.form({"payload": draw(st.one_of(words, junk.map(json.dumps)))}).body
    else:
        body = requests.interaction(payload).body
    return "interactions", body, draw(st.sampled_from([FORM, FORM, FORM, "application/json"]))


@st.composite
def events(draw, requests) -> tuple[str, bytes, str]:
    kind = draw(st.sampled_from(EVENTS))
    event = {"type": kind, "user": ASKER, "channel": "C0GENERAL", "ts": f"{time.time():.6f}",
             "text": "<@U0UPLINE> ask nn How do I register a hook?", "tab": "home"}
    if kind == "message":
        event |= {"thread_ts": "1732352400.000100", "text": "here is more"}
    envelope = {"token": "legacy", "team_id": "T0UPLINE", "api_app_id": "A0UPLINE", "type": "event_callback",
                "event": event, "event_id": f"Ev{uuid.uuid4().hex[:12].upper()}", "event_time": int(time.time())}
    broken = [(("event",), not_an_object), (("event", "type"), gone_or(non_text)),
              (("event", "user"), gone_or(bad_id) if kind != "message" else bad_id),
              (("event_id",), non_text), (("team_id",), bad_id)]
    if kind == "app_mention":
        broken += [(("event", "channel"), gone_or(bad_id)), (("event", "ts"), gone_or(non_text)),
                   (("event", "text"), non_text)]
    if kind == "message":
        broken += [(("event", "channel"), gone_or(bad_id)), (("event", "thread_ts"), non_text)]
    for path, values in draw(st.lists(st.sampled_from(broken), min_size=1, max_size=2, unique_by=lambda b: b[0])):
        put(envelope, path, draw(values))
    if draw(st.integers(0, 9)) == 0:
        envelope = {"type": "url_verification", "challenge": draw(gone_or(not_an_object))}
        envelope = {key: value for key, value in envelope.items() if value is not MISSING}
    return "events", json.dumps(envelope).encode(), draw(st.sampled_from(["application/json", FORM]))


@st.composite
def odd_bodies(draw) -> tuple[str, bytes, str]:
    body = draw(st.one_of(
        st.binary(max_size=120),
        junk.map(lambda value: json.dumps(value).encode()),
        st.dictionaries(words, words, max_size=4).map(lambda fields: "&".join(
            f"{key}={value}" for key, value in fields.items()).encode("utf-8")),
        st.sampled_from([b"payload", b"payload=", b"command", b"{", b"[]", b"null", b"\xff\xfe\x00"]),
    ))
    content_type = draw(st.sampled_from([FORM, "application/json", "text/plain", "multipart/form-data", ""]))
    return "odd bodies", body, content_type


def rows(world) -> dict[str, int]:
    with world.upline.engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() for table in TABLES}


def test_malformed_signed_requests_never_fail_and_change_nothing(world, caplog, record_property):
    requests = world.requests
    before = rows(world)
    cases: Counter[str] = Counter()
    statuses: Counter[int] = Counter()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(case=st.one_of(commands(requests), interactions(requests), events(requests), odd_bodies()))
    def throw(case):
        kind, body, content_type = case
        response = world.send(requests.sign(body, content_type))
        assert response.status_code < 500, (kind, body, response.text)
        assert response.status_code in (200, 400, 404), (kind, body, response.status_code)
        cases[kind] += 1
        statuses[response.status_code] += 1

    with caplog.at_level(logging.WARNING):
        throw()
    unnamed = [record.getMessage() for record in caplog.records
               if record.exc_info and not LOGGED_WITH_ID.match(record.getMessage())]
    assert unnamed == [], "exceptions logged without the request id"
    assert rows(world) == before, "a malformed request wrote something"

    total = sum(cases.values())
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(cases.items()))
    answers = ", ".join(f"{count}×{status}" for status, count in sorted(statuses.items()))
    print(f"\ndoor fuzz: {total} malformed signed requests ({summary}); answered {answers}")
    record_property("door_fuzz_cases", total)
    assert total >= EXAMPLES

    world.upline.start(world.server.loop)  # the loops, so that /healthz can say the process is well
    deadline = time.monotonic() + 10
    while (health := world.http.get(f"{world.server.url}/healthz")).status_code != 200:
        assert time.monotonic() < deadline, health.text
        time.sleep(0.02)
    answer = world.command("/ask", "nn How do I register a forward hook on a ModuleList?")
    assert answer.status_code == 200 and answer.text.startswith("*#1* opened in *nn*")
