"""App Home tabs and modals in the stand-in workspace: what `views.*` change and the sandbox page draws.

A mixin of `Workspace` (it uses the workspace's lock, clocks, users and listeners). Slack's rules kept:
a trigger_id is issued by a user's click, is good for one exchange within 3 seconds, and opens a modal
for that user; a user's modals form a stack of at most three; each view has a `hash` that changes on
every update, so a stale `views.update`/`views.publish` is refused with `hash_conflict`; a user's
App Home keeps its view ID across publishes.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from bot.sandbox.models import Change, SlackError, User, View

TRIGGER_LIFETIME = 3.0  # seconds, Slack's window for using a trigger_id
MODAL_STACK_LIMIT = 3


class ViewDesk:
    # Provided by Workspace.
    _lock: threading.RLock
    _ids: Iterator[int]
    monotonic: Callable[[], float]
    wall_clock: Callable[[], float]
    user: Callable[[str], User]
    _new_id: Callable[[str], str]
    _notify: Callable[[Change], None]

    def __init__(self) -> None:
        self._views: dict[str, View] = {}
        self._homes: dict[str, str] = {}  # user -> their App Home's view ID
        self._stacks: dict[str | None, list[str]] = {}  # user -> modal view IDs, root first
        self._external_ids: dict[str, str] = {}
        self._triggers: dict[str, tuple[str | None, float]] = {}  # trigger_id -> (user, issued at)
        self._exchanged: set[str] = set()

    def issue_trigger(self, user_id: str | None = None) -> str:
        """What a click or slash command by `user_id` hands the app; shaped like Slack's."""
        with self._lock:
            trigger_id = f"{next(self._ids):013d}.{int(self.wall_clock())}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = (user_id, self.monotonic())
            return trigger_id

    def publish_home(self, user_id: str, payload: dict[str, Any], *, hash: str | None = None) -> View:
        with self._lock:
            self.user(user_id)
            old = self._views.get(self._homes.get(user_id, ""))
            if old is not None and hash and hash != old.hash:
                raise SlackError("hash_conflict")
            view_id = old.id if old else self._new_id("V")
            view = View(view_id, "home", user_id, payload, self._new_hash(), view_id,
                        external_id=payload.get("external_id") or None)
            self._views[view_id] = view
            self._homes[user_id] = view_id
        self._notify(Change("home_published", user=user_id, view_id=view_id))
        return view

    def open_modal(self, trigger_id: str, payload: dict[str, Any]) -> View:
        """A new stack for the trigger's user, replacing any modal they had open."""
        with self._lock:
            user_id = self._exchange(trigger_id)
            self._drop_stack(user_id)
            view = self._new_modal(user_id, payload, root=None, previous=None)
            self._stacks[user_id] = [view.id]
        self._notify(Change("view_opened", user=user_id, view_id=view.id))
        return view

    def push_modal(self, trigger_id: str, payload: dict[str, Any]) -> View:
        with self._lock:
            user_id = self._triggers.get(trigger_id, (None, 0.0))[0]
            stack = self._stacks.get(user_id, [])
            if len(stack) >= MODAL_STACK_LIMIT:
                raise SlackError("push_limit_reached")
            user_id = self._exchange(trigger_id)
            view = self._new_modal(user_id, payload, root=stack[0] if stack else None,
                                   previous=stack[-1] if stack else None)
            self._stacks.setdefault(user_id, []).append(view.id)
        self._notify(Change("view_pushed", user=user_id, view_id=view.id))
        return view

    def update_view(self, payload: dict[str, Any], *, view_id: str | None = None,
                    external_id: str | None = None, hash: str | None = None) -> View:
        with self._lock:
            view_id = view_id or self._external_ids.get(external_id or "")
            old = self._views.get(view_id or "")
            if old is None:
                raise SlackError("not_found")
            if hash and hash != old.hash:
                raise SlackError("hash_conflict")
            new_external_id = payload.get("external_id") or old.external_id
            self._claim_external_id(new_external_id, old.id)
            view = replace(old, payload=payload, hash=self._new_hash(), external_id=new_external_id)
            self._views[old.id] = view
        self._notify(Change("view_updated", user=view.user_id, view_id=view.id))
        return view

    def pop_modal(self, user_id: str | None) -> None:
        """The user pressed "Back" (or the app answered `response_action: clear` on the root)."""
        with self._lock:
            stack = self._stacks.get(user_id, [])
            if stack:
                self._forget(stack.pop())
        self._notify(Change("views_closed", user=user_id))

    def close_modals(self, user_id: str | None) -> None:
        """The user closed the modal: the whole stack goes."""
        with self._lock:
            self._drop_stack(user_id)
        self._notify(Change("views_closed", user=user_id))

    def view(self, view_id: str) -> View:
        with self._lock:
            if view_id not in self._views:
                raise SlackError("not_found")
            return self._views[view_id]

    def home(self, user_id: str) -> View | None:
        with self._lock:
            return self._views.get(self._homes.get(user_id, ""))

    def modal_stack(self, user_id: str | None) -> list[View]:
        with self._lock:
            return [self._views[v] for v in self._stacks.get(user_id, [])]

    def _exchange(self, trigger_id: str) -> str | None:
        issued = self._triggers.get(trigger_id)
        if issued is None:
            raise SlackError("invalid_trigger_id")
        if trigger_id in self._exchanged:
            raise SlackError("exchanged_trigger_id")
        user_id, issued_at = issued
        if self.monotonic() - issued_at > TRIGGER_LIFETIME:
            raise SlackError("expired_trigger_id")
        self._exchanged.add(trigger_id)
        return user_id

    def _new_modal(self, user_id: str | None, payload: dict[str, Any], *, root: str | None,
                   previous: str | None) -> View:
        view_id = self._new_id("V")
        external_id = payload.get("external_id") or None
        self._claim_external_id(external_id, view_id)
        view = View(view_id, "modal", user_id, payload, self._new_hash(), root or view_id, previous, external_id)
        self._views[view_id] = view
        return view

    def _claim_external_id(self, external_id: str | None, view_id: str) -> None:
        if not external_id:
            return
        if self._external_ids.get(external_id, view_id) != view_id:
            raise SlackError("duplicate_external_id")
        self._external_ids[external_id] = view_id

    def _drop_stack(self, user_id: str | None) -> None:
        for view_id in self._stacks.pop(user_id, []):
            self._forget(view_id)

    def _forget(self, view_id: str) -> None:
        view = self._views.pop(view_id, None)
        if view is not None and view.external_id:
            self._external_ids.pop(view.external_id, None)

    def _new_hash(self) -> str:
        return f"{int(self.wall_clock())}.{secrets.token_hex(4)}"
