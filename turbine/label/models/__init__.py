"""Models of the label app: the charter (contrat moral), the ambition charter of local
authorities, the label's referential, applications and committee, and mutual aid."""

from turbine.label.models.ambition import (
    AmbitionCharter,
    AmbitionCommitment,
    AmbitionReview,
    CommitmentStatus,
    CommitmentStatusEntry,
)
from turbine.label.models.applications import (
    Application,
    ApplicationStatus,
    Assessment,
    AssessmentStatus,
    CommitteeMember,
    Decision,
    DecisionOutcome,
    Evidence,
    ReviewAssignment,
    Verdict,
    VerdictChoice,
)
from turbine.label.models.charter import CharterSignature, CharterVersion
from turbine.label.models.mutual_aid import (
    PeerMessage,
    PeerMessageKind,
    PeerOutcome,
    PeerRequest,
    PeerRequestStatus,
    PeerVolunteer,
)
from turbine.label.models.referential import (
    Category,
    Level,
    LevelRequirement,
    NodeKind,
    Referential,
    ReferentialNode,
)

__all__ = [
    "AmbitionCharter",
    "AmbitionCommitment",
    "AmbitionReview",
    "Application",
    "ApplicationStatus",
    "Assessment",
    "AssessmentStatus",
    "Category",
    "CharterSignature",
    "CharterVersion",
    "CommitmentStatus",
    "CommitmentStatusEntry",
    "CommitteeMember",
    "Decision",
    "DecisionOutcome",
    "Evidence",
    "Level",
    "LevelRequirement",
    "NodeKind",
    "PeerMessage",
    "PeerMessageKind",
    "PeerOutcome",
    "PeerRequest",
    "PeerRequestStatus",
    "PeerVolunteer",
    "Referential",
    "ReferentialNode",
    "ReviewAssignment",
    "Verdict",
    "VerdictChoice",
]
