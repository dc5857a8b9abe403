"""Models of the showcase: portraits and stories (``people``), study visits (``visits``), the
register of regulatory blockers and the strategies by actor (``diplomacy``)."""

from turbine.showcase.models.diplomacy import (
    ActorKind,
    AdvocacyFile,
    AdvocacyStatus,
    AdvocacyStep,
    BlockerLevel,
    BlockerReport,
    Commitment,
    CommitmentStatus,
    PolicyBrief,
    Qualification,
    Relation,
    StrategicActor,
)
from turbine.showcase.models.people import (
    Consent,
    PolicyLevel,
    Portrait,
    PortraitStatus,
    Story,
    StoryScope,
    StoryStatus,
)
from turbine.showcase.models.visits import (
    Language,
    VisitFeedback,
    VisitOffer,
    VisitorOrigin,
    VisitRequest,
    VisitRequestStatus,
    VisitSlot,
)

__all__ = [
    "ActorKind",
    "AdvocacyFile",
    "AdvocacyStatus",
    "AdvocacyStep",
    "BlockerLevel",
    "BlockerReport",
    "Qualification",
    "Commitment",
    "CommitmentStatus",
    "Consent",
    "Language",
    "PolicyBrief",
    "PolicyLevel",
    "Portrait",
    "PortraitStatus",
    "Relation",
    "Story",
    "StoryScope",
    "StoryStatus",
    "StrategicActor",
    "VisitFeedback",
    "VisitOffer",
    "VisitRequest",
    "VisitRequestStatus",
    "VisitSlot",
    "VisitorOrigin",
]
