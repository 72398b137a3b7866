"""The action IDs of the buttons an election's message carries and of its ranking form, shared by the
views that draw them and the handlers that answer them. Each button's `value` is the election's
number ("57"); so is the form's `private_metadata`."""

from __future__ import annotations

STAND = "election_stand"  # while candidates stand: the voter stands for the lead
NOT_STANDING = "election_not_standing"  # the voter does not stand
RANK = "election_rank"  # while the ballot is open: opens the ranking form

RANK_MODAL = "election_rank_modal"  # the ranking form (callback ID)
