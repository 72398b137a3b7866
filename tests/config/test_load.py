"""app.yaml loading: the baseline is accepted, and every kind of mistake is reported where it is."""

from datetime import timedelta
from textwrap import dedent

import pytest

from bot.config import ConfigError, load_config_text

BASELINE = dedent("""\
    project: Acme
    lead: U0LEAD
    core:
      maintainers: [U0CORE1, U0CORE2]
      channel: C0CORE
    sla:
      question:   {ack: 1d, resolve: 7d}
      escalation: {ack: 4h, resolve: 2d}
      reminders: [0.5, 0.9]
    areas:
      - key: nn
        name: NN APIs (torch.nn)
        maintainers: [U0NN1, U0NN2]
        emeritus: [U0OLD]
        channel: C0NN
        aliases: [torch.nn]
        keywords: [forward hook, layer]
        parent: null
        sla:
          question: {ack: 8h}
    people:
      albanD: {slack: U0ALBAN, tz: Europe/London}
    """)


def errors_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_config_text(text)
    return [problem.located("app.yaml") for problem in raised.value.errors]


def test_design_baseline_is_accepted():
    loaded = load_config_text(BASELINE)
    config = loaded.config
    assert config.project == "Acme"
    assert config.sla.escalation.ack == timedelta(hours=4)
    assert config.area("NN").sla.question.ack == timedelta(hours=8)
    assert config.people["U0NN1"].slack == "U0NN1"  # bare Slack IDs become people of their own
    assert loaded.warnings == []


def test_people_references_become_people_keys_whatever_their_case():
    text = BASELINE.replace("maintainers: [U0NN1, U0NN2]", "maintainers: [alband, U0ALBAN]")
    config = load_config_text(text).config
    assert config.area("nn").maintainers == ["albanD"]


def test_unknown_person_is_located():
    text = BASELINE.replace("maintainers: [U0NN1, U0NN2]", "maintainers: [U0NN1, foo]")
    assert errors_of(text) == [
        "app.yaml:13 areas[0].maintainers[1]: unknown person 'foo': add them under `people:` "
        "or use their Slack user ID"
    ]


def test_unknown_person_suggests_a_close_handle():
    text = BASELINE.replace("lead: U0LEAD", "lead: albnD")
    assert "(did you mean 'albanD'?)" in errors_of(text)[0]


def test_duplicate_area_key_is_located():
    text = BASELINE.replace("people:", "  - key: NN\n    maintainers: [U0NN1]\npeople:")
    assert errors_of(text) == ["app.yaml:21 areas[1].key: duplicate area key 'NN': areas[0].key has it already"]


def test_an_area_key_too_long_to_type_or_store_is_refused_where_it_is():
    key = "aot-inductor-aoti-and-aoti-runtime-and-the-rest"
    text = BASELINE.replace("people:", f"  - key: {key}\n    maintainers: [U0NN1]\npeople:")
    [error] = errors_of(text)
    assert error.startswith("app.yaml:21 areas[1].key: ")
    assert f"is {len(key)} characters long" in error and "keep it to 40 at most" in error


def test_alias_equal_to_another_areas_key_is_located():
    text = BASELINE.replace("people:", "  - key: optim\n    aliases: [torch.optim, NN]\npeople:")
    assert errors_of(text) == ["app.yaml:22 areas[1].aliases[1]: alias 'NN' is already a key or alias of area 'nn'"]


def test_alias_equal_to_another_areas_alias_is_located():
    text = BASELINE.replace("people:", "  - key: optim\n    aliases: [torch.nn]\npeople:")
    assert errors_of(text) == [
        "app.yaml:22 areas[1].aliases[0]: alias 'torch.nn' is already a key or alias of area 'nn'"
    ]


def test_unknown_parent_is_located():
    text = BASELINE.replace("parent: null", "parent: nnn")
    assert errors_of(text) == ["app.yaml:18 areas[0].parent: unknown parent area 'nnn' (did you mean 'nn'?)"]


def test_cyclic_parents_are_reported_once():
    text = BASELINE.replace("parent: null", "parent: optim").replace(
        "people:", "  - key: optim\n    parent: nn\npeople:")
    assert errors_of(text) == ["app.yaml:18 areas[0].parent: parent cycle: nn → optim → nn"]


def test_area_that_is_its_own_parent_is_a_cycle():
    text = BASELINE.replace("parent: null", "parent: nn")
    assert errors_of(text) == ["app.yaml:18 areas[0].parent: parent cycle: nn → nn"]


def test_person_both_active_and_emeritus_is_located():
    text = BASELINE.replace("emeritus: [U0OLD]", "emeritus: [U0OLD, U0NN2]")
    assert errors_of(text) == [
        "app.yaml:14 areas[0].emeritus[1]: 'U0NN2' is both an active maintainer and emeritus in this area: keep one"
    ]


@pytest.mark.parametrize("value", ["0s", "0m", "-4h"])
def test_zero_or_negative_duration_is_located(value):
    text = BASELINE.replace("escalation: {ack: 4h", f"escalation: {{ack: {value}")
    assert errors_of(text) == ["app.yaml:8 sla.escalation.ack: must be longer than zero"]


def test_unparseable_duration_says_how_to_write_one():
    text = BASELINE.replace("question: {ack: 8h}", "question: {ack: soon}")
    assert errors_of(text) == [
        "app.yaml:20 areas[0].sla.question.ack: invalid duration 'soon': write a number and a unit "
        "(s, m, h, d, w), e.g. 90s, 1h30m, 2d"
    ]


@pytest.mark.parametrize("value", ["0", "1", "1.5", "-0.2"])
def test_reminders_outside_zero_and_one_are_located(value):
    text = BASELINE.replace("reminders: [0.5, 0.9]", f"reminders: [0.5, {value}]")
    [error] = errors_of(text)
    assert error.startswith("app.yaml:9 sla.reminders[1]: reminder")


def test_missing_lead_is_an_error():
    text = BASELINE.replace("lead: U0LEAD\n", "")
    assert errors_of(text) == [
        "app.yaml:1 lead: no lead: set `lead:` to the lead core maintainer (a people key or Slack user ID)"
    ]


def test_no_core_maintainers_is_an_error():
    text = BASELINE.replace("maintainers: [U0CORE1, U0CORE2]", "maintainers: []")
    assert errors_of(text) == [
        "app.yaml:4 core.maintainers: no core maintainers: list at least one under `core: maintainers:`"
    ]


def test_unknown_key_is_located_at_its_line():
    text = BASELINE.replace("    channel: C0NN\n", "    channel: C0NN\n    colour: red\n")
    assert errors_of(text) == ["app.yaml:16 areas[0].colour: unknown key 'colour'"]


def test_misspelt_key_suggests_the_key_allowed_at_that_place():
    text = BASELINE.replace("    channel: C0NN\n", "    chanel: C0NN\n")
    assert errors_of(text) == ["app.yaml:15 areas[0].chanel: unknown key 'chanel' (did you mean 'channel'?)"]


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("  channel: C0CORE", "  chanel: C0CORE", "app.yaml:5 core.chanel: unknown key 'chanel' (did you mean 'channel'?)"),
    ("{ack: 1d, resolve: 7d}", "{ack: 1d, resolv: 7d}",
     "app.yaml:7 sla.question.resolv: unknown key 'resolv' (did you mean 'resolve'?)"),
    ("      question: {ack: 8h}", "      questio: {ack: 8h}",
     "app.yaml:20 areas[0].sla.questio: unknown key 'questio' (did you mean 'question'?)"),
    ("{slack: U0ALBAN", "{slak: U0ALBAN", "app.yaml:22 people.albanD.slak: unknown key 'slak' (did you mean 'slack'?)"),
])
def test_suggestions_come_from_the_keys_of_the_mapping_the_key_is_in(before, after, expected):
    assert errors_of(BASELINE.replace(before, after)) == [expected]


def test_duplicate_yaml_key_is_not_silently_overwritten():
    text = BASELINE.replace("    channel: C0NN\n", "    channel: C0NN\n    channel: C0OTHER\n")
    assert errors_of(text) == ["app.yaml:16 areas[0].channel: duplicate key 'channel': the later value would "
                               "silently win"]


def test_unknown_time_zone_is_located():
    text = BASELINE.replace("tz: Europe/London", "tz: Europe/Lundon")
    assert errors_of(text) == [
        "app.yaml:22 people.albanD.tz: unknown time zone 'Europe/Lundon': use an IANA name such as Europe/London"
    ]


def test_business_hours_must_end_after_they_start():
    text = BASELINE.replace("  reminders: [0.5, 0.9]\n",
                            "  reminders: [0.5, 0.9]\n  hours: {start: '17:00', end: '9:00'}\n")
    assert errors_of(text) == ["app.yaml:10 sla.hours.end: end 09:00 must be after start 17:00"]


def test_five_mistakes_are_all_reported_each_with_its_line():
    text = (BASELINE.replace("lead: U0LEAD\n", "")
            .replace("maintainers: [U0NN1, U0NN2]", "maintainers: [U0NN1, foo]")
            .replace("escalation: {ack: 4h", "escalation: {ack: 0s")
            .replace("reminders: [0.5, 0.9]", "reminders: [0.5, 1.5]")
            .replace("parent: null", "parent: nowhere"))
    errors = errors_of(text)
    assert len(errors) == 5
    assert [error.split(" ")[0] for error in errors] == [
        "app.yaml:1", "app.yaml:7", "app.yaml:8", "app.yaml:12", "app.yaml:17"]


def test_person_without_slack_id_is_a_warning_not_an_error():
    text = BASELINE.replace("lead: U0LEAD", "lead: ghost") + "  ghost: {name: Ghost Writer}\n"
    loaded = load_config_text(text)
    assert [warning.located("app.yaml") for warning in loaded.warnings] == [
        "app.yaml:23 people.ghost: 'ghost' has no Slack ID and cannot be pinged until mapped (add `slack: U…`)"
    ]


def test_two_people_with_one_slack_id_is_an_error():
    text = BASELINE + "  bob: {slack: U0ALBAN}\n"
    assert errors_of(text) == ["app.yaml:23 people.bob.slack: Slack ID U0ALBAN is also given to 'albanD'"]


def test_yaml_syntax_error_has_its_line():
    assert errors_of("project: [unclosed\nlead: x\n")[0].startswith("app.yaml:2: not valid YAML")


def test_yaml_one_point_one_traps_stay_strings():
    text = BASELINE.replace("project: Acme", "project: no").replace(
        "  reminders: [0.5, 0.9]\n", "  reminders: [0.5, 0.9]\n  hours: {start: 9:30, end: '17:00'}\n")
    config = load_config_text(text).config
    assert config.project == "no"
    assert config.sla.hours.start.hour == 9 and config.sla.hours.start.minute == 30


def test_unknown_holiday_calendar_is_located():
    text = BASELINE.replace("  reminders: [0.5, 0.9]\n", "  reminders: [0.5, 0.9]\n  holidays: XX\n")
    assert errors_of(text) == [
        "app.yaml:10 sla.holidays: unknown holiday calendar 'XX': use a country code such as GB, US or US-CA"]


def test_holiday_calendar_with_subdivision_is_accepted():
    text = BASELINE.replace("  reminders: [0.5, 0.9]\n", "  reminders: [0.5, 0.9]\n  holidays: US-CA\n")
    assert load_config_text(text).config.sla.holidays == "US-CA"
