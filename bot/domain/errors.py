"""The one error kind meant for people: a `UserError` says what was wrong and how to fix it.

Anything else that goes wrong is a bug, logged with its context; the user gets a short apology.

The people a sentence names are never written into it: they are `{placeholders}` and `people` says
who stands behind each (a `people` key, or the Slack ID of someone unknown), so that every surface
names them its own way — Slack as a mention, the CLI by display name:

    Refusal("#3 is already acknowledged by {holder}.", people={"holder": "mikaylagawarecki"})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


class UserError(Exception):
    """Shown to the user as it is, so write it as a sentence they can act on."""

    def __init__(self, message: str, *, people: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.people = dict(people or {})

    def render(self, name: Callable[[str], str]) -> str:
        """The sentence with each person named by `name(person)`."""
        if not self.people:
            return self.message
        return self.message.format_map({slot: name(person) for slot, person in self.people.items()})

    def __str__(self) -> str:  # logs and tests: people as they are stored
        return self.render(str)


class Refusal(UserError):
    """A move the rules do not allow (acknowledge a resolved ticket, act without being on the ladder)."""
