"""What `upline decisions` prints: the decision log, as Markdown to commit, JSON for scripts, or a table.

    # Acme decision log

    Decisions opened or published from 2026-08-25 to 2026-11-23, newest first.

    ## #12 — Deprecate nn.Container

    - Area: nn
    - Opened: 2026-11-20, by Nikita Shulga
    - Published: 2026-11-21
    - Outcome: **passed**, final (upheld after a dispute)

    ### Round 1: the nn maintainers on the proposal — passed
    ...

Each decision gets a section, in the order given (the CLI gives newest first): its area (`core` for
a core vote or the lead's), the dates it was opened and published, its outcome in words, every round
with who voted how (For, Against, Abstain, did not vote) and its rationale, then its disputes and
vetoes. Whatever people typed — the proposal, a rationale, a reason — is Markdown-escaped, so a `#`,
a backtick or a `<!channel>` in it reads as typed and cannot break the document. People are named by
`name` (see `timeline.display_names`); JSON keeps their keys. Everything here is pure.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime

from bot.domain.decision_record import CORE, LEAD, Decision, Dispute, Purpose, Round, State, Veto
from bot.domain.tally import Choice, Result
from bot.domain.ticket import Event
from bot.reporting import NO_DATA, utc_iso
from bot.reporting.markdown import blockquote, escape_markdown

Entry = tuple[Decision, Sequence[Event]]  # a decision and its history, as DecisionService.log gives them
Name = Callable[[str], str]

HEADING_SHOWN = 80  # characters of the proposal's first line in a section's heading
TABLE_SHOWN = 60  # and in the table
_TABLE = (("#", ">"), ("area", "<"), ("state", "<"), ("outcome", "<"), ("opened", "<"), ("published", "<"),
          ("proposal", "<"))  # fmt: skip


def empty_log(since: datetime, area: str | None = None) -> str:
    where = f" in {area}" if area else ""
    return f"No decisions{where} since {_date(since)}.\n"


# -- Markdown -------------------------------------------------------------------------------------


def as_markdown(entries: Sequence[Entry], *, since: datetime, now: datetime, project: str | None = None,
                area: str | None = None, name: Name = str) -> str:
    if not entries:
        return empty_log(since, area)
    title = f"{escape_markdown(project)} decision log" if project else "Decision log"
    where = f" in {escape_markdown(area)}" if area else ""
    lines = [f"# {title}", "", f"Decisions{where} opened or published from {_date(since)} to {_date(now)}, "
             "newest first."]
    for decision, _ in entries:
        lines += ["", *decision_section(decision, name)]
    return "\n".join(lines) + "\n"


def decision_section(decision: Decision, name: Name = str) -> list[str]:
    def person(key: str) -> str:
        return escape_markdown(name(key))

    heading = shortened(decision.proposal, HEADING_SHOWN)
    lines = [f"## #{decision.number} — {escape_markdown(heading)}", "",
             f"- Area: {escape_markdown(area_of(decision))}",
             f"- Opened: {_date(decision.opened_at)}, by {person(decision.caller)}",
             f"- Published: {_date(decision.published_at) if decision.published_at else 'not yet'}",
             f"- Outcome: {_bold_head(outcome_words(decision))}"]
    if decision.ticket is not None:
        lines.append(f"- Called on ticket #{decision.ticket}")
    if heading != decision.proposal.strip():
        lines += ["", "The proposal:", "", *blockquote(decision.proposal)]
    for number, vote in enumerate(decision.rounds, start=1):
        lines += ["", *round_section(number, vote, person)]
    if decision.disputes:
        lines += ["", "### Disputes"]
        for dispute in decision.disputes:
            lines += ["", *dispute_lines(dispute, person)]
    if decision.vetoes:
        lines += ["", "### Vetoes"]
        for veto in decision.vetoes:
            lines += ["", *veto_lines(veto, person)]
    return lines


def round_section(number: int, vote: Round, person: Name) -> list[str]:
    """The round's heading, its rule and dates, who voted how, and its rationale."""
    lines = [f"### Round {number}: {group(vote.level)} on {_ON[vote.purpose]} — {round_result(vote)}", ""]
    policy = vote.policy
    when = f"opened {_date(vote.opened_at)}"
    if vote.closed_at is not None:
        when += f", {'ruled' if vote.level == LEAD else 'closed'} {_date(vote.closed_at)}"
        when += " (early)" if vote.early else ""
    elif vote.closes_at is not None:
        when += f", closes {_date(vote.closes_at)}"
    rule = "" if vote.level == LEAD else f"{policy.rule.value.replace('_', ' ')}, quorum {policy.quorum:.0%}; "
    sentence = rule + when
    lines += [f"{sentence[0].upper()}{sentence[1:]}.", ""]
    count = vote.count()
    not_voted = "Not voted yet" if vote.result is None else "Did not vote"
    for label, people in (("For", _choosing(count.choices, Choice.FOR)),
                          ("Against", _choosing(count.choices, Choice.AGAINST)),
                          ("Abstain", _choosing(count.choices, Choice.ABSTAIN)),
                          (not_voted, count.not_voted), ("Recused", vote.recused)):
        if people or label != "Recused":
            lines.append(f"- {label}: {', '.join(map(person, people)) or NO_DATA}")
    if vote.rationale:
        by = f", by {person(vote.rationale_by)}" if vote.rationale_by else ""
        on = f" on {_date(vote.rationale_at)}" if vote.rationale_at else ""
        lines += ["", f"Rationale{by}{on}:", "", *blockquote(vote.rationale)]
    return lines


def dispute_lines(dispute: Dispute, person: Name) -> list[str]:
    lines = [f"Disputed by **{person(dispute.by)}** on {_date(dispute.at)}:", "", *blockquote(dispute.reason)]
    if dispute.answer is not None:
        answer = "Uphold" if dispute.answer == "uphold" else "Revote"
        by = f", by {person(dispute.answered_by)}" if dispute.answered_by else ""
        lines += ["", f"Answered {answer}{by}" + (":" if dispute.explanation else ".")]
        if dispute.explanation:
            lines += ["", *blockquote(dispute.explanation)]
    lines += ["", f"Resolution: {dispute_resolution(dispute)}."]
    return lines


def veto_lines(veto: Veto, person: Name) -> list[str]:
    lines = [f"Veto asked by **{person(veto.by)}** on {_date(veto.at)}:", "", *blockquote(veto.reason)]
    if veto.resolution is None:
        resolution = "pending, the core votes on it"
    else:
        resolution = f"{veto.resolution} by {group(veto.resolved_by or CORE)}"
    return [*lines, "", f"Resolution: {resolution}."]


# -- words ----------------------------------------------------------------------------------------


_ON = {Purpose.DECIDE: "the proposal", Purpose.DISPUTE: "a dispute (For upholds the outcome)",
       Purpose.VETO: "a veto (For vetoes the decision)"}
_ABOUT = {Purpose.DECIDE: "the proposal", Purpose.DISPUTE: "a dispute", Purpose.VETO: "a veto"}
_RESULT = {Purpose.DECIDE: {Result.PASSED: "passed", Result.REJECTED: "rejected"},
           Purpose.DISPUTE: {Result.PASSED: "outcome upheld", Result.REJECTED: "outcome overturned"},
           Purpose.VETO: {Result.PASSED: "vetoed", Result.REJECTED: "veto declined"}}
_STANDING = {State.DECIDED: "rationale pending", State.DISPUTED: "disputed, waiting on the answer",
             State.FINAL: "final"}


def outcome_words(decision: Decision) -> str:
    """`passed, final (upheld after a dispute)`, `no decision yet: with the lead`, `vetoed`..."""
    if decision.state is State.VETOED:
        return "vetoed"
    if not decision.rounds:
        return "no decision yet"
    current = decision.current
    if decision.outcome is None:
        if decision.state is State.LEAD:
            return "no decision yet: with the lead"
        return f"no decision yet: {group(current.level)} are voting"
    deciding = decision.deciding
    head = decision.outcome.value + (" by the lead" if deciding is not None and deciding.level == LEAD else "")
    if decision.state is State.VOTING:
        standing = f"{group(current.level)} are voting on {_ABOUT[current.purpose]}"
    elif decision.state is State.LEAD:
        standing = f"with the lead, on {_ABOUT[current.purpose]}"
    elif decision.state is State.PUBLISHED:
        until = f" until {_date(decision.settles_at)}" if decision.settles_at else ""
        standing = f"open to dispute and veto{until}"
    else:
        standing = _STANDING[decision.state]
    notes = [f"{dispute.resolution} after a dispute" for dispute in decision.disputes
             if dispute.resolution in ("upheld", "overturned")]
    if any(dispute.resolution == "revote" for dispute in decision.disputes):
        notes.append("revoted after a dispute")
    notes += ["veto declined" for veto in decision.vetoes if veto.resolution == "declined"]
    return f"{head}, {standing}" + (f" ({'; '.join(dict.fromkeys(notes))})" if notes else "")


def round_result(vote: Round) -> str:
    if vote.result is None:
        return "waiting on the lead" if vote.level == LEAD else "open"
    if vote.result is Result.NO_DECISION:
        why = vote.count().why_no_decision
        return f"no decision ({why}), so it went up" if why else "no decision, so it went up"
    if vote.level == LEAD and vote.purpose is Purpose.DECIDE:
        return "approved" if vote.result is Result.PASSED else "rejected"
    return _RESULT[vote.purpose][vote.result]


def dispute_resolution(dispute: Dispute) -> str:
    escalated = {"disputer": "escalated to the core by the disputer",
                 "unanswered": "escalated to the core, unanswered in time"}.get(dispute.escalated or "")
    if dispute.resolution is None:
        return f"{escalated}; the core votes on it" if escalated else "pending, waiting on the group's answer"
    done = (f"{group(dispute.resolved_by)} chose to revote" if dispute.resolution == "revote"
            else f"outcome {dispute.resolution} by {group(dispute.resolved_by or CORE)}")
    return f"{escalated}; {done}" if escalated else done


def group(level: str | None) -> str:
    """`area:nn` → `the nn maintainers`; `core` → `the core maintainers`; `lead` → `the lead`."""
    if level == LEAD:
        return "the lead"
    if level is None or level == CORE:
        return "the core maintainers"
    return f"the {level.removeprefix('area:')} maintainers"


def area_of(decision: Decision) -> str:
    return decision.area or CORE


def shortened(text: str, limit: int) -> str:
    """The first non-empty line, whitespace folded, cut to `limit` characters with `…`."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    flat = " ".join(first.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _bold_head(words: str) -> str:
    head, sep, rest = words.partition(",")
    if head.startswith("no decision yet"):
        return words
    return f"**{head}**{sep}{rest}"


def _choosing(choices, choice: Choice) -> tuple[str, ...]:
    return tuple(voter for voter, chosen in choices.items() if chosen is choice)


def _date(moment: datetime | None) -> str:
    return utc_iso(moment)[:10] if moment is not None else NO_DATA


# -- JSON and the table ---------------------------------------------------------------------------


def as_json(entries: Sequence[Entry]) -> str:
    return json.dumps([as_record(decision, events) for decision, events in entries], indent=2) + "\n"


def as_record(decision: Decision, events: Sequence[Event] = ()) -> dict:
    """Every field of the decision, times as ISO 8601 UTC, people by their keys, and its history."""
    return {
        "number": decision.number, "kind": decision.kind.value, "area": decision.area,
        "proposal": decision.proposal, "caller": decision.caller, "ticket": decision.ticket,
        "state": decision.state.value, "level": decision.level,
        "outcome": decision.outcome.value if decision.outcome else None, "outcome_words": outcome_words(decision),
        "opened_at": _iso(decision.opened_at), "published_at": _iso(decision.published_at),
        "settles_at": _iso(decision.settles_at), "rationale": decision.rationale,
        "rounds": [_round_record(vote) for vote in decision.rounds],
        "disputes": [{"by": d.by, "reason": d.reason, "at": _iso(d.at), "answer_due_at": _iso(d.answer_due_at),
                      "answer": d.answer, "answered_by": d.answered_by, "explanation": d.explanation,
                      "escalated": d.escalated, "resolution": d.resolution, "resolved_by": d.resolved_by}
                     for d in decision.disputes],
        "vetoes": [{"by": v.by, "reason": v.reason, "at": _iso(v.at), "resolution": v.resolution,
                    "resolved_by": v.resolved_by} for v in decision.vetoes],
        "history": [{"kind": e.kind, "actor": e.actor, "at": _iso(e.at), "level": e.level, "reason": e.reason,
                     "data": e.data} for e in events],
    }


def _round_record(vote: Round) -> dict:
    return {
        "level": vote.level, "purpose": vote.purpose.value, "rule": vote.policy.rule.value,
        "quorum": vote.policy.quorum, "voters": list(vote.voters), "recused": list(vote.recused),
        "opened_at": _iso(vote.opened_at), "closes_at": _iso(vote.closes_at), "closed_at": _iso(vote.closed_at),
        "early": vote.early, "result": vote.result.value if vote.result else None,
        "ballots": [{"voter": b.voter, "choice": b.choice.value, "at": _iso(b.at)} for b in vote.ballots],
        "rationale": vote.rationale, "rationale_by": vote.rationale_by, "rationale_at": _iso(vote.rationale_at),
    }


def as_table(entries: Sequence[Entry], *, since: datetime, now: datetime, window: str,
             area: str | None = None) -> str:
    """One line per decision, in columns, under a title saying the period."""
    if not entries:
        return empty_log(since, area)
    where = f" in {area}" if area else ""
    title = f"Decisions{where} opened or published from {utc_iso(since)} to {utc_iso(now)} (the last {window})"
    cells = [[header for header, _ in _TABLE]] + [_cells(decision) for decision, _ in entries]
    widths = [max(len(line[column]) for line in cells) for column in range(len(_TABLE))]
    lines = [title, ""]
    for line in cells:
        padded = (f"{cell:{align}{width}}" for cell, (_, align), width in zip(line, _TABLE, widths, strict=True))
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines) + "\n"


def _cells(decision: Decision) -> list[str]:
    outcome = "vetoed" if decision.state is State.VETOED else (decision.outcome.value if decision.outcome
                                                                 else NO_DATA)
    return [f"#{decision.number}", area_of(decision), decision.state.value, outcome, _date(decision.opened_at),
            _date(decision.published_at), shortened(decision.proposal, TABLE_SHOWN)]


def _iso(moment: datetime | None) -> str | None:
    return utc_iso(moment) if moment is not None else None
