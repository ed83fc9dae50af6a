"""Caseload's domain: service plans and R&I reports, their rules and their refusals.

Imports only the standard library, pydantic, ``contracts`` and
``chassis.aggregate``. Commands take ``today`` instead of reading a clock.
"""

from services.caseload.domain.errors import (
    ActivePlanExists,
    CaseloadError,
    ClientNotEligible,
    CorrectionChangesNothing,
    DateInFuture,
    DateOutOfOrder,
    FollowUpAlreadyRecorded,
    FollowUpOutsideWindow,
    GoalRequired,
    InconsistentCounts,
    InvalidMonth,
    MonthAlreadyReported,
    MonthNotReported,
    NoFollowUpRules,
    PlanClosed,
    PlanItemAlreadyOnPlan,
    PlanNotClosed,
    PlanNotOpened,
    RatingOutOfRange,
    SatisfactionAlreadyRecorded,
    ServiceAlreadyCompleted,
    ServiceAlreadyStarted,
    ServiceNotOnPlan,
    ServiceNotStarted,
    UnknownClient,
)
from services.caseload.domain.follow_up_windows import (
    FollowUpWindow,
    FollowUpWindows,
    follow_up_windows,
)
from services.caseload.domain.lookups import ActivePlans, ClientStatus, KnownClients
from services.caseload.domain.opening import open_service_plan
from services.caseload.domain.plan_state import (
    Exit,
    FollowUp,
    PlanHeader,
    PlanItem,
    PlanStatus,
    Referral,
    Satisfaction,
)
from services.caseload.domain.resource_and_information import ResourceAndInformation
from services.caseload.domain.service_plan import ServicePlan

__all__ = [
    "ActivePlanExists",
    "ActivePlans",
    "CaseloadError",
    "ClientNotEligible",
    "ClientStatus",
    "CorrectionChangesNothing",
    "DateInFuture",
    "DateOutOfOrder",
    "Exit",
    "FollowUp",
    "FollowUpAlreadyRecorded",
    "FollowUpOutsideWindow",
    "FollowUpWindow",
    "FollowUpWindows",
    "GoalRequired",
    "InconsistentCounts",
    "InvalidMonth",
    "KnownClients",
    "MonthAlreadyReported",
    "MonthNotReported",
    "NoFollowUpRules",
    "PlanClosed",
    "PlanHeader",
    "PlanItem",
    "PlanItemAlreadyOnPlan",
    "PlanNotClosed",
    "PlanNotOpened",
    "PlanStatus",
    "RatingOutOfRange",
    "Referral",
    "ResourceAndInformation",
    "Satisfaction",
    "SatisfactionAlreadyRecorded",
    "ServiceAlreadyCompleted",
    "ServiceAlreadyStarted",
    "ServiceNotOnPlan",
    "ServiceNotStarted",
    "ServicePlan",
    "UnknownClient",
    "follow_up_windows",
    "open_service_plan",
]
