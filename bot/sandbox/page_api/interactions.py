"""A click on the page, as the `actions[]` entry Slack puts in a block_actions payload.

The page only says which element of which block was used and what was chosen; the rest — the
button's text and value, the full option object of a select — is read from the blocks the bot sent,
as Slack does, so the bot gets back exactly what it offered.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Collection
from datetime import date
from typing import Any


class PageError(ValueError):
    """The page asked for something that makes no sense (an element that is not there): HTTP 400."""


def block_id(block: dict[str, Any], index: int, salt: str) -> str:
    # Slack gives a block without a block_id a random one when the message is posted, and keeps it.
    return block.get("block_id") or hashlib.sha1(f"{salt}:{index}".encode()).hexdigest()[:5]


def find_element(blocks: list[dict[str, Any]] | None, index: int, action_id: str) -> tuple[dict, dict]:
    try:
        block = (blocks or [])[index]
    except (IndexError, TypeError):
        raise PageError(f"there is no block {index} here") from None
    candidates = block.get("elements", []) if block.get("type") == "actions" else \
        [block.get("accessory"), block.get("element")]
    for element in candidates:
        if isinstance(element, dict) and element.get("action_id") == action_id:
            return block, element
    raise PageError(f"block {index} has no element {action_id!r}")


def options_of(element: dict[str, Any]) -> list[dict[str, Any]]:
    groups = element.get("option_groups") or []
    return [*(element.get("options") or []), *(option for group in groups for option in group.get("options", []))]


def chosen_option(element: dict[str, Any], value: Any) -> dict[str, Any]:
    option = next((option for option in options_of(element) if option.get("value") == value), None)
    if option is None:
        raise PageError(f"{element.get('action_id')!r} has no option {value!r}")
    return option


def chosen_date(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise PageError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def chosen_user(element: dict[str, Any], user: Any, people: Collection[str]) -> str:
    if user not in people:
        raise PageError(f"{element.get('action_id')!r} offers nobody called {user!r}")
    return str(user)


def action_json(block_id: str, element: dict[str, Any], chosen: dict[str, Any],
                people: Collection[str] = ()) -> dict[str, Any]:
    """The action as Slack reports it; `chosen` is what the page sent (`value`, `selected_date`,
    `selected_user`); a users_select offers `people`, the workspace's user IDs."""
    kind = element.get("type")
    action: dict[str, Any] = {"type": kind, "action_id": element["action_id"], "block_id": block_id,
                              "action_ts": f"{time.time():.6f}"}
    if kind == "button":
        action["text"] = element.get("text")
        action.update({key: element[key] for key in ("value", "style") if key in element})
    elif kind in ("static_select", "overflow", "radio_buttons"):
        action["selected_option"] = chosen_option(element, chosen.get("value"))
        if "placeholder" in element:
            action["placeholder"] = element["placeholder"]
    elif kind == "datepicker":
        action["selected_date"] = chosen_date(chosen.get("selected_date"))
        if "initial_date" in element:
            action["initial_date"] = element["initial_date"]
    elif kind == "users_select":
        action["selected_user"] = chosen_user(element, chosen.get("selected_user"), people)
        if "initial_user" in element:
            action["initial_user"] = element["initial_user"]
    else:
        raise PageError(f"the sandbox cannot use a {kind} element yet")
    return action


def state_of(action: dict[str, Any]) -> dict[str, Any]:
    """The element's value as `state.values` carries it (buttons have none)."""
    if action["type"] == "button":
        return {}
    kept = {key: action[key] for key in ("selected_option", "selected_date", "selected_user") if key in action}
    return {action["block_id"]: {action["action_id"]: {"type": action["type"], **kept}}}
