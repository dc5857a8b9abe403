"""Models of the cooperation app, one module per part (meetings, groups, debates, panels,
challenges); each is imported here so that Django finds them."""

from turbine.cooperation.models.challenges import (  # noqa: F401
    Challenge,
    ChallengeApproval,
    ChallengeStatus,
    Pledge,
    PledgeReport,
)
from turbine.cooperation.models.debates import Argument, Debate, Side  # noqa: F401
from turbine.cooperation.models.groups import (  # noqa: F401
    MIN_NETWORKS,
    GroupDocument,
    GroupMember,
    GroupMessage,
    KnowHowOffer,
    KnowHowRequest,
    WorkingGroup,
    WorkTheme,
)
from turbine.cooperation.models.meetings import (  # noqa: F401
    ACTIVE_STATUSES,
    AgeBand,
    Event,
    EventDocument,
    EventFeedback,
    EventFormat,
    FirstTime,
    HeardVia,
    Language,
    Modality,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    ReminderDelay,
    TimeSlot,
)
from turbine.cooperation.models.panels import (  # noqa: F401
    Algorithm,
    DrawStatus,
    MemberStatus,
    Panel,
    PanelDraw,
    PanelMember,
    PanelQuota,
    PanelReview,
    PanelStatus,
    Rating,
    ReviewContribution,
    ReviewStatus,
    Volunteer,
    VolunteerSource,
)
