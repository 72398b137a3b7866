"""The one error kind meant for people: a `UserError` says what was wrong and how to fix it.

Anything else that goes wrong is a bug, logged with its context; the user gets a short apology.
"""


class UserError(Exception):
    """Shown to the user as it is, so write it as a sentence they can act on."""


class Refusal(UserError):
    """A move the rules do not allow (acknowledge a resolved ticket, act without being on the ladder)."""
