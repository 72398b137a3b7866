"""Decisions for the view tests, moved by the real rules on the demo config (no database): people are
its keys (`albanD`), and each shows in Slack as its ID (`<@U0ALBAN>`)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slack_sdk.models.blocks import Block

from bot.config import load_config_file
from bot.config.decisions import decision_settings
from bot.domain import decisions as rules
from bot.domain.decision_record import Groups, Kind
from bot.domain.tally import Choice

CONFIG = load_config_file(Path(__file__).resolve().parents[3] / "app.yaml").config
GROUPS = Groups(lead=CONFIG.lead, core=tuple(CONFIG.core.maintainers),
                areas={area.key: tuple(area.maintainers) for area in CONFIG.areas})
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NN = ("mikaylagawarecki", "albanD", "jbschlosser")
NN_IDS = ("U0MIKAYLA", "U0ALBAN", "U0JOEL")
CORE = tuple(CONFIG.core.maintainers)  # soumith (the lead), ezyang, gchanan, malfet, albanD, ngimel
FOR, AGAINST, ABSTAIN = Choice.FOR, Choice.AGAINST, Choice.ABSTAIN


def opened(proposal: str = "Deprecate nn.Container", *, kind: Kind = Kind.MODULE, area: str | None = "nn",
           by: str = "mikaylagawarecki"):
    decision = rules.call_vote(kind=kind, area=area, proposal=proposal, by=by, groups=GROUPS,
                               policy=decision_settings(CONFIG, area), now=NOW).decision
    return replace(decision, number=12)


def voted(decision, *ballots: tuple[str, Choice], at=NOW):
    for person, choice in ballots:
        decision = rules.cast(decision, by=person, choice=choice, now=at, groups=GROUPS).decision
    return decision


def passed():
    """nn passed it 2-0: its rationale is owed."""
    return voted(opened(), ("mikaylagawarecki", FOR), ("jbschlosser", FOR))


def published(rationale: str = "Nobody has used it since 2.0."):
    return rules.write_rationale(passed(), by="jbschlosser", text=rationale, now=NOW + timedelta(hours=1),
                                 groups=GROUPS).decision


def tied_to_core():
    """nn tied 1-1-1: a core vote on it."""
    return voted(opened(), ("mikaylagawarecki", FOR), ("jbschlosser", AGAINST), ("albanD", ABSTAIN))


def tied_to_lead():
    """nn tied, then the core tied 3-3: the lead decides."""
    core = [(person, FOR if index < 3 else AGAINST) for index, person in enumerate(CORE)]
    return voted(tied_to_core(), *core)


def disputed(reason: str = "optim still needs it <!here>"):
    return rules.dispute(published(), by="janeyx99", reason=reason, now=NOW + timedelta(days=1),
                         groups=GROUPS).decision


def vetoing():
    """A core maintainer asked the core to veto nn's decision: a core vote on the veto."""
    return rules.ask_veto(published(), by="ezyang", reason="It breaks torchvision.", now=NOW + timedelta(days=1),
                          groups=GROUPS).decision


def read_back(blocks: list[dict]) -> list[dict]:
    """slack_sdk's models parse and re-emit the blocks (validating lengths and shapes as they go)."""
    return [Block.parse(block).to_dict() for block in blocks]


def shown(blocks: list[dict]) -> str:
    """All the text a reader sees in the blocks."""
    parts = []
    for block in blocks:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        for element in block.get("elements", []):
            if isinstance(element.get("text"), str):
                parts.append(element["text"])
    return "\n".join(parts)


def buttons(blocks: list[dict]) -> list[tuple[str, str, str]]:
    """(label, action_id, value) of every button."""
    return [(element["text"]["text"], element["action_id"], element["value"]) for block in blocks
            if block["type"] == "actions" for element in block["elements"] if element["type"] == "button"]
