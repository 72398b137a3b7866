"""What Bolt reads of a request to route it, checked before Bolt reads it.

Bolt finds a request's handler, and the `action`, `view` and `event` it hands that handler, by
indexing into the body — `body["actions"][0]["action_id"]`, `body["view"]["type"]`,
`body.get("event", {}).get("bot_id")` — so a body that lacks one of these, or holds it with the
wrong type, raised inside Bolt (a KeyError, a TypeError: a 500). `envelope_problem` says what is
wrong with such a body, and the door (`handlers.door`) answers it with nothing done. The fields the
handlers themselves read are checked where they read them, by `handlers.payloads`.
"""

from __future__ import annotations

from typing import Any

from handlers.payloads import MAX_FIELD, Unreadable, slack_id

TEXT_FIELDS = ("command", "callback_id", "action_id", "response_url", "trigger_id")
OBJECT_FIELDS = ("event", "view", "container", "channel", "message", "state")


def envelope_problem(body: dict) -> str | None:
    """Why Bolt could not route `body` as Slack would have it, or `None` when it can."""
    try:
        _check(body)
    except Unreadable as error:
        return error.reason
    return None


def _check(body: dict) -> None:
    kind = body.get("type")
    if kind is not None and not isinstance(kind, str):
        raise Unreadable("its type is not a word")
    for name in TEXT_FIELDS:
        if body.get(name) is not None and not isinstance(body[name], str):
            raise Unreadable(f"its {name} is not text")
    for name in OBJECT_FIELDS:
        if body.get(name) is not None and not isinstance(body[name], dict):
            raise Unreadable(f"its {name} is not an object")
    authorizations = body.get("authorizations")
    if authorizations is not None and not (isinstance(authorizations, list)
                                           and all(isinstance(each, dict) for each in authorizations)):
        raise Unreadable("its authorizations are not a list of objects")
    _check_team(body)
    event_id = body.get("event_id")  # the key its retries are dropped by (handlers.dedup)
    if event_id is not None and not (isinstance(event_id, str) and 0 < len(event_id) <= MAX_FIELD
                                     and event_id.isprintable()):
        raise Unreadable("its event id is not one Slack issues")
    if kind in ("block_actions", "interactive_message"):
        _check_actions(body.get("actions"), kind)
    elif kind in ("view_submission", "view_closed"):
        _check_view(body.get("view"))
    elif kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise Unreadable("its event has no type")
    elif kind == "url_verification" and not isinstance(body.get("challenge"), str):
        raise Unreadable("its challenge is not text")
    elif kind == "workflow_step_edit" and not isinstance(body.get("workflow_step"), dict):
        raise Unreadable("its workflow step is missing")


def _check_team(body: dict) -> None:
    """The workspace it comes from: an ID of Slack's shape wherever one is given."""
    team = body.get("team")
    for value in (body.get("team_id"), team.get("id") if isinstance(team, dict) else team):
        if value is not None:
            slack_id(value, "team")


def _check_actions(actions: Any, kind: str) -> None:
    if not isinstance(actions, list) or not actions or not all(isinstance(action, dict) for action in actions):
        raise Unreadable("it names no action")
    if kind == "block_actions":
        for action in actions:
            if not isinstance(action.get("action_id"), str) or not isinstance(action.get("block_id", ""), str):
                raise Unreadable("its action has no id")


def _check_view(view: Any) -> None:
    if not isinstance(view, dict) or not isinstance(view.get("callback_id"), str):
        raise Unreadable("its form has no callback id")
    if not isinstance(view.get("type"), str):  # Bolt asks whether it is a workflow step's
        raise Unreadable("its form has no type")
    if view.get("app_installed_team_id") is not None:
        slack_id(view["app_installed_team_id"], "team")
