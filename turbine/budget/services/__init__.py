"""Every write of the participatory budget: campaigns, proposals, feasibility review, the vote,
the publication of the results.

Functions take keyword-only arguments, run in one transaction and raise :class:`BudgetError`
(a ``TurbineError`` with a French message) when a business rule refuses the operation.
"""

from turbine.budget.services.campaigns import campaign_update
from turbine.budget.services.eligibility import (
    ImportSummary,
    voter_check_set,
    voter_code_claim,
    voter_codes_resend,
    voter_list_import,
)
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
    OwnBallot,
    VoteReceipt,
    ballot_cast,
    ballot_of,
    ballot_validate,
    ballots_flush,
    ballots_flush_due,
    campaign_ballots_seal,
    votable_proposals,
    voter_code_validated,
)

__all__ = [
    "ImportSummary",
    "voter_check_set",
    "voter_code_claim",
    "voter_codes_resend",
    "voter_list_import",
    "PROGRESS_STEPS",
    "BudgetError",
    "EnvelopeSpec",
    "NotEligibleError",
    "ResultsAlreadyPublishedError",
    "OwnBallot",
    "VoteReceipt",
    "ballot_cast",
    "ballot_of",
    "ballot_validate",
    "ballots_flush",
    "ballots_flush_due",
    "campaign_ballots_seal",
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
    "voter_code_validated",
    "voter_envelopes",
]
