"""The digests drawn: a header with the week, lists cut with a count and a pointer inside Slack's limits,
mentions only for who must act, user text escaped, a late digest saying so."""

import json
import re
from datetime import UTC, datetime, timedelta
from textwrap import dedent

from bot.config import load_config_text
from handlers.views.digest import MAX_BLOCKS, area_digest, core_digest

UNTIL = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CONFIG = load_config_text(dedent("""\
    project: Acme
    lead: boss
    core: {maintainers: [core1, core2]}
    areas:
      - {key: nn, name: NN APIs, maintainers: [nn1, nn2]}
    people:
      boss: {slack: U0BOSS, name: The Boss}
      core1: {slack: U0CORE1, name: Core One}
      core2: {slack: U0CORE2, name: Core Two}
      nn1: {slack: U0NN1, name: Nn One}
      nn2: {slack: U0NN2, name: Nn Two}
    """)).config


def _kept(items, total=None):
    return {"items": items, "total": len(items) if total is None else total}


def _ticket(number, **fields):
    return {"ticket": number, "kind": "question", "area": "nn", "text": f"Question {number}",
            "created_at": (UNTIL - timedelta(days=3)).isoformat(), "state": "open", "level": "area:nn",
            "holder": None} | fields


def _core(**fields):
    return {"scope": "core", "since": (UNTIL - timedelta(weeks=1)).isoformat(), "until": UNTIL.isoformat(),
            "computed_at": UNTIL.isoformat(), "late": False, "due_at": UNTIL.isoformat(),
            "breached": _kept([]), "oldest_open": [], "votes_open": _kept([]), "rationales_missing": _kept([]),
            "nominations": _kept([]), "next_review_at": None, "emeritus": _kept([]), "compliance": []} | fields


def _area(**fields):
    return {"scope": "area:nn", "area": "nn", "since": (UNTIL - timedelta(weeks=1)).isoformat(),
            "until": UNTIL.isoformat(), "computed_at": UNTIL.isoformat(), "late": False, "due_at": UNTIL.isoformat(),
            "open": _kept([]), "decisions": _kept([])} | fields


def _texts(blocks):
    for block in blocks:
        if block["type"] == "section":
            yield block["text"]["text"]
        elif block["type"] == "context":
            yield from (element["text"] for element in block["elements"])
        elif block["type"] == "header":
            yield block["text"]["text"]


def _mentioned(blocks):
    return set(re.findall(r"<@(U\w+)>", " ".join(_texts(blocks))))


def _within_limits(blocks):
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


def test_the_header_says_the_week_and_empty_lists_say_so():
    text, blocks = core_digest(CONFIG, _core())
    assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "emoji": True,
                                                     "text": "Acme — the core's week, 23 Nov – 30 Nov 2026"}}
    assert "_Nothing breached._" in " ".join(_texts(blocks))
    assert text.startswith("The core's week: 0 breached")
    _within_limits(blocks)


def test_mentions_only_who_must_act():
    content = _core(
        breached=_kept([_ticket(1, breaches=1, holder="core1", level="core", state="acknowledged"),
                        _ticket(2, breaches=2, holder="core2", level="core", state="resolved")]),
        oldest_open=[{"area": "nn", "total": 1, "tickets": [_ticket(3, holder="nn2")]}],
        votes_open=_kept([{"decision": 7, "area": "nn", "level": "area:nn", "proposal": "Deprecate it",
                           "closes_at": UNTIL.isoformat(), "waiting_on": ["nn1"]}]),
        rationales_missing=_kept([{"decision": 8, "area": None, "level": "core", "proposal": "Adopt it",
                                   "due_at": UNTIL.isoformat(), "overdue": True, "owed_by": ["boss"]}]),
        nominations=_kept([{"nomination": 9, "action": "add", "person": "nn2", "target": "core"}]),
        emeritus=_kept([{"person": "core2", "target": "core", "reason": "inactive since 2026-01-05"}]),
        compliance=[{"area": "nn", "this": 80.0, "last": 60.0, "trend": "↑"}])
    _, blocks = core_digest(CONFIG, content)
    # the holder of an open breached ticket, who has not voted, who owes a rationale; nobody else
    assert _mentioned(blocks) == {"U0CORE1", "U0NN1", "U0BOSS"}
    shown = " ".join(_texts(blocks))
    assert "*Core Two*" in shown and "*Nn Two*" in shown
    assert "*nn* ↑ 80% (last week 60%)" in shown


def test_long_lists_are_cut_with_a_count_and_a_pointer_inside_the_limits():
    many = [_ticket(n, text="x" * 250, breaches=1, holder="core1", state="open") for n in range(1, 51)]
    content = _core(breached=_kept(many, total=64),
                    oldest_open=[{"area": f"a{n}", "total": 5, "tickets": [_ticket(n * 10 + k) for k in range(3)]}
                                 for n in range(40)],
                    compliance=[{"area": f"a{n}", "this": 50.0, "last": None, "trend": "→"} for n in range(40)])
    _, blocks = core_digest(CONFIG, content)
    _within_limits(blocks)
    shown = list(_texts(blocks))
    breached = next(text for text in shown if text.startswith("*Breached this week*"))
    assert breached.count("• ") == 10 and breached.endswith("…and 54 more — `/status`, App Home")
    oldest = next(text for text in shown if text.startswith("*Oldest open tickets*"))
    assert oldest.endswith("…and 190 more — `/status`, App Home")
    assert len(json.dumps(blocks)) < 40_000


def test_user_text_is_escaped():
    content = _area(open=_kept([_ticket(1, text="<!channel> help & <@U0ALL>", due_at=UNTIL.isoformat())]),
                    decisions=_kept([{"decision": 4, "area": "nn", "level": "area:nn", "proposal": "<!here> ban it",
                                      "state": "final", "outcome": "passed", "published_at": UNTIL.isoformat()}]))
    _, blocks = area_digest(CONFIG, content)
    shown = " ".join(_texts(blocks))
    assert "<!channel>" not in shown and "<!here>" not in shown and "<@U0ALL>" not in shown
    assert "&lt;!channel&gt; help &amp; &lt;@U0ALL&gt;" in shown


def test_an_area_digest_shows_who_holds_each_and_the_time_left():
    content = _area(open=_kept([_ticket(1, holder="nn1", state="acknowledged",
                                        due_at=(UNTIL + timedelta(days=2, hours=3)).isoformat()),
                                _ticket(2, due_at=(UNTIL - timedelta(hours=5)).isoformat()),
                                _ticket(3, state="waiting", due_at=None)]))
    text, blocks = area_digest(CONFIG, content)
    shown = " ".join(_texts(blocks))
    assert blocks[0]["text"]["text"] == "NN APIs — the week, 23 Nov – 30 Nov 2026"
    assert "#1 Question 1 — held by *Nn One*, 2d3h left" in shown
    assert "#2 Question 2 — nobody has it yet (nn maintainers), overdue by 5h" in shown
    assert "waiting on the asker" in shown
    assert _mentioned(blocks) == set()
    assert text == "NN APIs, the week: 3 open, 0 decisions"


def test_a_late_digest_says_so():
    _, blocks = area_digest(CONFIG, _area(late=True, due_at=(UNTIL - timedelta(weeks=2)).isoformat()))
    assert any("Late: this digest was due" in text for text in _texts(blocks))
    _, on_time = area_digest(CONFIG, _area())
    assert not any("Late" in text for text in _texts(on_time))
