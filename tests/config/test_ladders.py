"""The ladder: area → parent areas → core → lead, empty rungs left out, nobody twice."""

from textwrap import dedent

from bot.config import load_config_text
from bot.config.ladders import ladder_for
from bot.domain.ladder import everyone_on

CONFIG = dedent("""\
    project: Demo
    lead: lead
    core:
      maintainers: [lead, core1, core2, shared]
    areas:
      - key: distributed
        maintainers: [dist1, shared]
        emeritus: [old]
      - key: fsdp
        parent: distributed
        maintainers: [fsdp1, dist1]
      - key: orphan
        maintainers: []
        emeritus: [old]
      - key: leadonly
        maintainers: [lead]
    people:
      lead: {slack: U0LEAD}
      core1: {slack: U0CORE1}
      core2: {slack: U0CORE2}
      shared: {slack: U0SHARED}
      dist1: {slack: U0DIST1}
      fsdp1: {slack: U0FSDP1}
      old: {slack: U0OLD}
    """)


def ladder(area):
    config = load_config_text(CONFIG).config
    return [(rung.level, rung.people) for rung in ladder_for(config, area)]


def test_area_then_core_then_lead():
    assert ladder("distributed") == [
        ("area:distributed", ("dist1", "shared")),
        ("core", ("core1", "core2")),  # `shared` already stands on the area rung
        ("lead", ("lead",)),
    ]


def test_nested_area_climbs_through_its_parent():
    assert ladder("fsdp") == [
        ("area:fsdp", ("fsdp1", "dist1")),
        ("area:distributed", ("shared",)),  # dist1 is not pinged twice
        ("core", ("core1", "core2")),
        ("lead", ("lead",)),
    ]


def test_emeritus_maintainers_are_never_on_the_ladder():
    config = load_config_text(CONFIG).config
    assert "old" not in everyone_on(ladder_for(config, "distributed"))
    assert "old" not in everyone_on(ladder_for(config, "orphan"))


def test_area_without_active_maintainers_starts_at_core():
    assert [level for level, _ in ladder("orphan")] == ["core", "lead"]


def test_lead_is_always_the_top_rung_of_their_own():
    assert ladder("leadonly") == [("core", ("core1", "core2", "shared")), ("lead", ("lead",))]


def test_question_without_area_goes_to_core_then_lead():
    assert [level for level, _ in ladder(None)] == ["core", "lead"]


def test_area_keys_ignore_case():
    assert ladder("FSDP")[0][0] == "area:fsdp"
