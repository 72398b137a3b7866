"""`views.publish`, `views.open`, `views.push`, `views.update`: App Home tabs and modals, checked as Slack does.

A view must be a JSON object of the right `type` (`home` for publish, `modal` to open or push); a modal
needs a `title`; blocks are at most 100 objects with a `type`; the whole view at most 250 kB. Slack
answers all of these with `invalid_arguments` and says which field in `response_metadata.messages`.
"""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.models import SlackError
from bot.sandbox.shapes import view_json
from bot.sandbox.slack_methods import Handler, MethodCall, parse_blocks

MAX_VIEW_BLOCKS = 100
MAX_VIEW_BYTES = 250_000


def views_publish(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    user_id = call.require("user_id", "invalid_arguments")
    view = ws.publish_home(user_id, parse_view(call.params.get("view"), kinds=("home",)),
                           hash=call.text("hash") or None)
    return {"view": view_json(ws, view)}


def views_open(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    payload = parse_view(call.params.get("view"), kinds=("modal",))
    view = ws.open_modal(call.require("trigger_id", "invalid_trigger_id"), payload)
    return {"view": view_json(ws, view)}


def views_push(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    payload = parse_view(call.params.get("view"), kinds=("modal",))
    view = ws.push_modal(call.require("trigger_id", "invalid_trigger_id"), payload)
    return {"view": view_json(ws, view)}


def views_update(call: MethodCall) -> dict[str, Any]:
    ws = call.workspace
    view_id, external_id = call.text("view_id"), call.text("external_id")
    if not view_id and not external_id:
        raise SlackError("invalid_arguments", "[ERROR] either view_id or external_id is required")
    payload = parse_view(call.params.get("view"), kinds=("modal", "home"))
    view = ws.update_view(payload, view_id=view_id or None, external_id=external_id or None,
                          hash=call.text("hash") or None)
    return {"view": view_json(ws, view)}


def parse_view(value: Any, *, kinds: tuple[str, ...]) -> dict[str, Any]:
    if value is None or value == "":
        raise SlackError("invalid_arguments", "[ERROR] missing required field: view")
    if isinstance(value, str):
        if len(value.encode()) > MAX_VIEW_BYTES:
            raise SlackError("view_too_large")
        try:
            value = json.loads(value)
        except ValueError:
            raise SlackError("invalid_arguments", "[ERROR] view is not valid JSON [json-pointer:/view]") from None
    if not isinstance(value, dict):
        raise SlackError("invalid_arguments", "[ERROR] must be an object [json-pointer:/view]")
    if len(json.dumps(value).encode()) > MAX_VIEW_BYTES:
        raise SlackError("view_too_large")
    if value.get("type") not in kinds:
        raise SlackError("invalid_arguments", f"[ERROR] must be one of {', '.join(kinds)} [json-pointer:/view/type]")
    if value["type"] == "modal" and not value.get("title"):
        raise SlackError("invalid_arguments", "[ERROR] missing required field: title [json-pointer:/view/title]")
    if "blocks" not in value:
        raise SlackError("invalid_arguments", "[ERROR] missing required field: blocks [json-pointer:/view/blocks]")
    parse_blocks(value["blocks"], limit=MAX_VIEW_BLOCKS, pointer="/view/blocks", error="invalid_arguments")
    return value


VIEW_METHODS: dict[str, Handler] = {
    "views.publish": views_publish,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
}
