"""`decisions:`, `governance:` and `digest:` in app.yaml: the defaults, the overrides an area inherits
from its parents, and every mistake reported where it is."""

from dataclasses import replace
from datetime import time, timedelta
from textwrap import dedent

import pytest

from bot.config import ConfigError, load_config_text
from bot.config.decisions import decision_settings, digest_schedule, governance_policy
from bot.domain.decision_policy import DecisionSettings, DigestSchedule, GovernancePolicy, Rule, VotePolicy

BASE = dedent("""\
    project: Acme
    lead: U0LEAD
    core: {maintainers: [U0CORE1, U0CORE2]}
    sla:
      reminders: [0.5, 0.9]
    areas:
      - key: distributed
        maintainers: [U0DIST]
      - key: fsdp
        parent: distributed
        maintainers: [U0FSDP]
      - key: nn
        maintainers: [U0NN]
    """)

FULL = BASE + dedent("""\
    decisions:
      rule: supermajority
      quorum: 0.6
      duration: 5d
      rationale_within: 2d
      veto_window: 10d
      channel: C0DECISIONS
      core: {rule: unanimous, duration: 3d}
    governance:
      review_every: 4w
      inactive_after: 52w
      lead_removal: 0.8
    digest:
      every: "fri 16:30"
      tz: Europe/London
    """)


def config_of(text: str):
    return load_config_text(text).config


def with_area_keys(text: str, area: str, keys: str) -> str:
    """`text` with `keys` (indented YAML lines) added to the area whose key is `area`."""
    marker = f"  - key: {area}\n"
    return text.replace(marker, marker + "".join(f"    {line}\n" for line in dedent(keys).splitlines()))


def errors_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_config_text(text)
    return [problem.located("app.yaml") for problem in raised.value.errors]


# -- defaults ------------------------------------------------------------------------------------------


def test_without_the_new_keys_votes_follow_the_built_in_defaults():
    config = config_of(BASE)
    assert decision_settings(config) == DecisionSettings()
    assert decision_settings(config, "fsdp") == DecisionSettings()
    assert decision_settings(config, "nn").vote == VotePolicy(rule=Rule.MAJORITY, quorum=0.5,
                                                              duration=timedelta(days=7))
    assert governance_policy(config, "nn") == GovernancePolicy()


def test_the_digest_is_off_when_no_digest_key_applies():
    config = config_of(BASE)
    assert digest_schedule(config) is None
    assert digest_schedule(config, "fsdp") is None


def test_an_empty_digest_is_on_at_monday_nine_utc():
    assert digest_schedule(config_of(BASE + "digest: {}\n")) == DigestSchedule(weekday=1, at=time(9, 0), tz="UTC")


def test_the_top_level_keys_set_the_projects_policy():
    config = config_of(FULL)
    settings = decision_settings(config)
    assert settings.vote == VotePolicy(rule=Rule.SUPERMAJORITY, quorum=0.6, duration=timedelta(days=5),
                                       rationale_within=timedelta(days=2), veto_window=timedelta(days=10),
                                       reminders=(0.5, 0.9))
    assert settings.channel == "C0DECISIONS"
    assert (settings.core.rule, settings.core.duration) == (Rule.UNANIMOUS, timedelta(days=3))
    assert governance_policy(config) == GovernancePolicy(review_every=timedelta(weeks=4),
                                                         inactive_after=timedelta(weeks=52), lead_removal=0.8)
    assert digest_schedule(config) == DigestSchedule(weekday=5, at=time(16, 30), tz="Europe/London")


def test_a_partial_top_level_section_keeps_the_other_defaults():
    settings = decision_settings(config_of(BASE + "decisions: {rule: unanimous}\n"))
    assert settings.vote == VotePolicy(rule=Rule.UNANIMOUS)
    assert settings.core == DecisionSettings().core
    assert settings.channel is None


def test_the_core_votes_under_the_projects_quorum_and_windows_but_its_own_rule_and_duration():
    core = decision_settings(config_of(FULL), "nn").core
    assert core == VotePolicy(rule=Rule.UNANIMOUS, quorum=0.6, duration=timedelta(days=3),
                              rationale_within=timedelta(days=2), veto_window=timedelta(days=10),
                              reminders=(0.5, 0.9))


def test_core_votes_default_to_majority_for_five_days_whatever_rule_the_groups_use():
    core = decision_settings(config_of(BASE + "decisions: {rule: unanimous, duration: 2d}\n")).core
    assert (core.rule, core.duration) == (Rule.MAJORITY, timedelta(days=5))


# -- overrides and inheritance -------------------------------------------------------------------------


def test_an_areas_decisions_override_only_what_they_name():
    config = config_of(with_area_keys(FULL, "nn", "decisions: {rule: lazy_consensus, channel: C0NNDEC}\n"))
    nn = decision_settings(config, "nn")
    assert nn.vote == replace(decision_settings(config).vote, rule=Rule.LAZY_CONSENSUS)
    assert nn.channel == "C0NNDEC"
    assert decision_settings(config, "distributed") == decision_settings(config)


def test_a_child_area_inherits_its_parents_override_and_wins_over_it():
    text = with_area_keys(FULL, "distributed", "decisions: {rule: majority, quorum: 0.75, duration: 4d}\n")
    text = with_area_keys(text, "fsdp", "decisions: {duration: 2d}\n")
    config = config_of(text)
    fsdp = decision_settings(config, "fsdp").vote
    assert (fsdp.rule, fsdp.quorum, fsdp.duration) == (Rule.MAJORITY, 0.75, timedelta(days=2))
    assert fsdp.rationale_within == timedelta(days=2)  # from the top level, through both areas
    assert decision_settings(config, "distributed").vote.duration == timedelta(days=4)


def test_an_areas_core_override_changes_how_the_core_votes_on_its_matters_and_its_childrens():
    config = config_of(with_area_keys(FULL, "distributed", "decisions: {core: {duration: 1d}}\n"))
    assert decision_settings(config, "fsdp").core.duration == timedelta(days=1)
    assert decision_settings(config, "fsdp").core.rule == Rule.UNANIMOUS
    assert decision_settings(config, "nn").core.duration == timedelta(days=3)


def test_a_votes_reminders_are_the_areas_resolved_sla_reminders():
    config = config_of(with_area_keys(BASE, "distributed", "sla: {reminders: [0.25]}\n"))
    assert decision_settings(config, "fsdp").vote.reminders == (0.25,)
    assert decision_settings(config, "nn").vote.reminders == (0.5, 0.9)
    assert decision_settings(config, "fsdp").core.reminders == (0.5, 0.9)  # the core's are the project's


def test_an_unknown_area_gets_the_projects_settings():
    config = config_of(FULL)
    assert decision_settings(config, "nope") == decision_settings(config)
    assert governance_policy(config, "nope") == governance_policy(config)


def test_an_area_overrides_inactive_after_and_its_children_inherit_it():
    config = config_of(with_area_keys(FULL, "distributed", "governance: {inactive_after: 13w}\n"))
    fsdp = governance_policy(config, "fsdp")
    assert fsdp.inactive_after == timedelta(weeks=13)
    assert (fsdp.review_every, fsdp.lead_removal) == (timedelta(weeks=4), 0.8)
    assert governance_policy(config, "nn").inactive_after == timedelta(weeks=52)


def test_an_areas_digest_changes_what_it_names_and_its_children_inherit_it():
    config = config_of(with_area_keys(FULL, "distributed", "digest: {tz: America/New_York}\n"))
    assert digest_schedule(config, "fsdp") == DigestSchedule(weekday=5, at=time(16, 30), tz="America/New_York")
    assert digest_schedule(config, "nn") == digest_schedule(config)


def test_an_areas_digest_is_on_for_it_alone_when_the_project_has_none():
    config = config_of(with_area_keys(BASE, "distributed", 'digest: {every: "Wednesday 8:00"}\n'))
    assert digest_schedule(config, "fsdp") == DigestSchedule(weekday=3, at=time(8, 0), tz="UTC")
    assert digest_schedule(config) is None
    assert digest_schedule(config, "nn") is None


# -- mistakes, each located ----------------------------------------------------------------------------


def test_an_unknown_rule_names_the_rules():
    assert errors_of(FULL.replace("rule: supermajority", "rule: majoritty")) == [
        "app.yaml:15 decisions.rule: unknown rule 'majoritty': use majority, supermajority, unanimous or "
        "lazy_consensus"]


def test_an_unknown_core_rule_is_located():
    assert errors_of(FULL.replace("{rule: unanimous", "{rule: consensus")) == [
        "app.yaml:21 decisions.core.rule: unknown rule 'consensus': use majority, supermajority, unanimous or "
        "lazy_consensus"]


@pytest.mark.parametrize(("value", "shown"), [("1.5", "1.5"), ("0", "0"), ("-0.2", "-0.2"), ("2", "2"),
                                              ("'half'", "'half'"), ("true", "True")])
def test_a_quorum_outside_zero_to_one_is_located(value, shown):
    assert errors_of(FULL.replace("quorum: 0.6", f"quorum: {value}")) == [
        f"app.yaml:16 decisions.quorum: {shown} must be a fraction in (0, 1]"]


def test_a_quorum_of_one_is_everyone():
    assert decision_settings(config_of(FULL.replace("quorum: 0.6", "quorum: 1"))).vote.quorum == 1.0


def test_a_lead_removal_share_outside_zero_to_one_is_located():
    assert errors_of(FULL.replace("lead_removal: 0.8", "lead_removal: 75")) == [
        "app.yaml:25 governance.lead_removal: 75 must be a fraction in (0, 1]"]


@pytest.mark.parametrize(("key", "line"), [("duration", 17), ("rationale_within", 18), ("veto_window", 19)])
def test_a_zero_vote_window_is_located(key, line):
    text = FULL.replace(f"  {key}: ", f"  {key}: 0s # ")
    assert errors_of(text) == [f"app.yaml:{line} decisions.{key}: must be longer than zero"]


@pytest.mark.parametrize("key", ["review_every", "inactive_after"])
def test_a_zero_governance_period_is_located(key):
    [error] = errors_of(FULL.replace(f"  {key}: ", f"  {key}: 0h # "))
    assert error.endswith(f" governance.{key}: must be longer than zero")


def test_a_zero_duration_in_an_area_names_the_area_by_position():
    text = with_area_keys(BASE, "nn", "decisions:\n  duration: 0d\n")  # the duration is on line 14
    assert errors_of(text) == ["app.yaml:14 areas[2].decisions.duration: must be longer than zero"]


def test_a_zero_core_duration_in_an_area_is_located():
    text = with_area_keys(BASE, "fsdp", "decisions: {core: {duration: 0m}}\n")
    assert errors_of(text) == ["app.yaml:10 areas[1].decisions.core.duration: must be longer than zero"]


def test_an_unparseable_vote_duration_says_how_to_write_one():
    assert errors_of(FULL.replace("duration: 5d", "duration: a week")) == [
        "app.yaml:17 decisions.duration: invalid duration 'a week': write a number and a unit (s, m, h, d, w), "
        "e.g. 90s, 1h30m, 2d"]


def test_a_decisions_channel_must_be_a_channel_id():
    assert errors_of(FULL.replace("channel: C0DECISIONS", "channel: '#decisions'")) == [
        "app.yaml:20 decisions.channel: '#decisions' is not a Slack channel ID (they look like C012AB3CD)"]


@pytest.mark.parametrize("every", ["'moon 09:00'", "'mon'", "'mon 25:00'", "9"])
def test_a_digest_time_that_is_not_a_weekday_and_a_time_is_located(every):
    [error] = errors_of(FULL.replace('every: "fri 16:30"', f"every: {every}"))
    assert error.startswith("app.yaml:27 digest.every: ")
    assert error.endswith(' must be a weekday and a local time, e.g. "mon 09:00"')


def test_an_unknown_digest_time_zone_is_located():
    assert errors_of(FULL.replace("tz: Europe/London", "tz: Europe/Lundon")) == [
        "app.yaml:28 digest.tz: unknown time zone 'Europe/Lundon': use an IANA name such as Europe/London"]


@pytest.mark.parametrize("key", ["review_every", "lead_removal"])
def test_an_area_cannot_change_what_is_set_once_for_the_project(key):
    value = "0.5" if key == "lead_removal" else "4w"
    text = with_area_keys(BASE, "nn", f"governance: {{{key}: {value}}}\n")
    assert errors_of(text) == [f"app.yaml:13 areas[2].governance.{key}: is set once for the whole project, under "
                               "the top-level `governance:`"]


def test_mistakes_in_every_new_section_are_all_reported_each_with_its_line():
    text = (with_area_keys(FULL, "nn", "decisions: {quorum: 0}\n")
            .replace("rule: supermajority", "rule: vote")
            .replace("review_every: 4w", "review_every: 0w")
            .replace("tz: Europe/London", "tz: Mars/Olympus"))
    assert [error.split(" ")[:2] for error in errors_of(text)] == [
        ["app.yaml:13", "areas[2].decisions.quorum:"], ["app.yaml:16", "decisions.rule:"],
        ["app.yaml:24", "governance.review_every:"], ["app.yaml:29", "digest.tz:"]]


# -- unknown keys: did you mean ------------------------------------------------------------------------


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("decisions:\n", "decision:\n", "app.yaml:14 decision: unknown key 'decision' (did you mean 'decisions'?)"),
    ("  quorum: 0.6", "  quorom: 0.6", "app.yaml:16 decisions.quorom: unknown key 'quorom' (did you mean 'quorum'?)"),
    ("  rationale_within:", "  rational_within:",
     "app.yaml:18 decisions.rational_within: unknown key 'rational_within' (did you mean 'rationale_within'?)"),
    ("{rule: unanimous, duration: 3d}", "{rule: unanimous, duraton: 3d}",
     "app.yaml:21 decisions.core.duraton: unknown key 'duraton' (did you mean 'duration'?)"),
    ("  inactive_after:", "  inactive_afer:",
     "app.yaml:24 governance.inactive_afer: unknown key 'inactive_afer' (did you mean 'inactive_after'?)"),
    ("governance:\n", "governence:\n",
     "app.yaml:22 governence: unknown key 'governence' (did you mean 'governance'?)"),
    ('  every: "fri', '  evry: "fri', "app.yaml:27 digest.evry: unknown key 'evry' (did you mean 'every'?)"),
])
def test_a_misspelt_new_key_suggests_the_key_allowed_there(before, after, expected):
    assert errors_of(FULL.replace(before, after)) == [expected]


@pytest.mark.parametrize(("keys", "expected"), [
    ("decisons: {rule: majority}\n", "areas[2].decisons: unknown key 'decisons' (did you mean 'decisions'?)"),
    ("decisions: {veto_windw: 2d}\n",
     "areas[2].decisions.veto_windw: unknown key 'veto_windw' (did you mean 'veto_window'?)"),
    ("governance: {inactive: 2w}\n", "areas[2].governance.inactive: unknown key 'inactive'"),
    ("digest: {timezone: UTC}\n", "areas[2].digest.timezone: unknown key 'timezone'"),
])
def test_a_misspelt_key_in_an_areas_new_sections_is_located_with_its_suggestion(keys, expected):
    assert errors_of(with_area_keys(BASE, "nn", keys)) == [f"app.yaml:13 {expected}"]
