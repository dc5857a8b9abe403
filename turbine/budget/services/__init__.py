"""Every write of the participatory budget: campaigns, proposals, feasibility review, the vote,
the publication of the results.

Functions take keyword-only arguments, run in one transaction and raise :class:`BudgetError`
(a ``TurbineError`` with a French message) when a business rule refuses the operation.
"""

from turbine.budget.services.campaigns import campaign_update
from turbine.budget.services.proposals import (
    PROGRESS_STEPS,
    BudgetError,
    EnvelopeSpec,
    NotEligibleError,
    campaign_create,
    campaign_validate,
    check_resident,
    envelope_for,
    has_verified_email,
    proposal_progress,
    proposal_review,
    proposal_submit,
    voter_envelopes,
)
from turbine.budget.services.results import (
    ResultsAlreadyPublishedError,
    campaign_results_publish,
    campaigns_results_due,
    results_publish_due,
)
from turbine.budget.services.votes import (
    VoteReceipt,
    ballot_cast,
    ballot_of,
    ballot_token_hash,
    ballot_validate,
    votable_proposals,
)

__all__ = [
    "PROGRESS_STEPS",
    "BudgetError",
    "EnvelopeSpec",
    "NotEligibleError",
    "ResultsAlreadyPublishedError",
    "VoteReceipt",
    "ballot_cast",
    "ballot_of",
    "ballot_token_hash",
    "ballot_validate",
    "campaign_create",
    "campaign_results_publish",
    "campaign_update",
    "campaign_validate",
    "campaigns_results_due",
    "check_resident",
    "envelope_for",
    "has_verified_email",
    "proposal_progress",
    "proposal_review",
    "proposal_submit",
    "results_publish_due",
    "votable_proposals",
    "voter_envelopes",
]
