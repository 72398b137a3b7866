"""The area picker's blocks: within Slack's limits however many areas there are."""

from bot.config import load_config_text
from bot.domain.ticket import Kind
from handlers.views.area_picker import BUTTON_VALUE_LIMIT, area_picker, draft_token


def config_with(count: int, *, sunset: int = 0):
    areas = "".join(f"  - {{key: area{number:03}, name: Area number {number}}}\n" for number in range(count))
    areas += "".join(f"  - {{key: old{number}, sunset: true}}\n" for number in range(sunset))
    return load_config_text(f"project: P\nlead: U0LEAD\ncore: {{maintainers: [U0LEAD]}}\nareas:\n{areas}").config


def select_of(message):
    [actions] = [block for block in message["blocks"] if block["type"] == "actions"]
    return next(element for element in actions["elements"] if element["type"] == "static_select"), actions


def test_up_to_a_hundred_areas_are_one_list_without_sunset_ones():
    select, actions = select_of(area_picker(config_with(100, sunset=2), Kind.QUESTION, "why?", (), "tok"))
    assert len(select["options"]) == 100 and "option_groups" not in select
    assert not any(option["value"].startswith("old") for option in select["options"])
    assert draft_token(actions["block_id"]) == "tok"


def test_more_than_a_hundred_areas_are_grouped_a_hundred_at_most_each():
    select, _ = select_of(area_picker(config_with(250), Kind.QUESTION, "why?", (), "tok"))
    groups = select["option_groups"]
    assert [len(group["options"]) for group in groups] == [100, 100, 50]
    assert groups[0]["label"]["text"] == "area000 … area099"
    assert "options" not in select


def test_a_long_question_gets_the_list_but_no_buttons():
    message = area_picker(config_with(3), Kind.QUESTION, "x" * (BUTTON_VALUE_LIMIT + 1), ("area001",), "tok")
    _, actions = select_of(message)
    assert [element["type"] for element in actions["elements"]] == ["static_select"]


def test_without_a_draft_there_is_no_list():
    message = area_picker(config_with(3), Kind.QUESTION, "why?", (), None)
    [actions] = [block for block in message["blocks"] if block["type"] == "actions"]
    assert [element["action_id"] for element in actions["elements"]] == ["ask_pick_other"]
    assert draft_token(actions["block_id"]) is None


def test_the_example_names_an_area_of_this_project_and_the_command_used():
    message = area_picker(config_with(3), Kind.ESCALATION, "why?", (), "tok")
    assert "`/escalate area000 …`" in message["text"]
