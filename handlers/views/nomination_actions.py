"""The action IDs of every button a nomination's messages carry, shared by the views that draw them and
the handlers that answer them. Each button's `value` is the nomination's number ("41")."""

from __future__ import annotations

ASK_MAINTAINERS = "nomination_ask_maintainers"  # on the core's slate: DM the target's maintainers the form
DESK_REJECT = "nomination_desk_reject"  # on the slate: opens the reason modal
CALL_VOTE = "nomination_call_vote"  # on the slate: the core vote (or the lead's decision), by the decisions machinery
START_REMOVAL = "nomination_start_removal"  # on a review's suggestion: the same vote, on a move to emeritus
ANSWER = "nomination_answer"  # in a maintainer's DM: opens the information-and-testimonial form

# Modals (callback IDs); their private_metadata is the nomination's number.
DESK_REJECT_MODAL = "nomination_desk_reject_modal"
ANSWER_MODAL = "nomination_answer_modal"
