"""The action IDs of every button a decision's messages carry, shared by the views that draw them and
the handlers that answer them. Each button's `value` is the decision's number ("12")."""

from __future__ import annotations

VOTE_FOR = "decision_vote_for"
VOTE_AGAINST = "decision_vote_against"
VOTE_ABSTAIN = "decision_vote_abstain"
RECUSE = "decision_recuse"  # core votes only
WRITE_RATIONALE = "decision_write_rationale"  # opens the rationale modal
LEAD_APPROVE = "decision_lead_approve"  # opens the lead's modal (rationale required)
LEAD_REJECT = "decision_lead_reject"
UPHOLD = "decision_uphold"  # opens the explanation modal
REVOTE = "decision_revote"
ESCALATE_DISPUTE = "decision_escalate_dispute"  # the disputer's

VOTES = {VOTE_FOR: "for", VOTE_AGAINST: "against", VOTE_ABSTAIN: "abstain"}  # action ID -> Choice value

# Modals (callback IDs); their private_metadata says what they answer (views.decision_modals.form_metadata).
RATIONALE_MODAL = "decision_rationale_modal"
LEAD_MODAL = "decision_lead_modal"
UPHOLD_MODAL = "decision_uphold_modal"
