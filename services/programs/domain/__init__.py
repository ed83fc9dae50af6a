"""The programs domain: Second Career, JCP, SEB and ES business plans, and their refusals.

Imports only the standard library, pydantic, ``contracts`` and
``chassis.aggregate``. Commands take ``today`` (never reading a clock) and the
rule book of the fiscal year concerned. Money is integer cents throughout.
"""

from services.programs.domain.business_plan import (
    BusinessPlan,
    BusinessPlanStatus,
    business_plan_stream_id,
)
from services.programs.domain.business_plan_commitments import PlanCommitments
from services.programs.domain.ei_link import EiHistory, ei_link_finding
from services.programs.domain.enrolment import (
    place_jcp_participant,
    submit_seb_case,
    submit_second_career_application,
)
from services.programs.domain.errors import (
    AcademicUpgradingTooLong,
    ApprovedMoreThanRequested,
    CategoryLimitExceeded,
    ClientNotEligible,
    DateInFuture,
    DateOutOfOrder,
    ExplanationRequired,
    FundingCapExceeded,
    InvalidTransition,
    NegativeAmount,
    NoCostsRequested,
    NoProgramRules,
    NotStarted,
    ProgramsError,
    TrainingLengthOutOfRange,
    UnknownClient,
    UnknownCostCategory,
    WrongRuleBook,
)
from services.programs.domain.jcp_project import JcpProject, Participant, Project
from services.programs.domain.lookups import (
    ClientStatus,
    KnownClients,
    SecondCareerReferral,
    SecondCareerReferrals,
    SelfEmploymentPlans,
)
from services.programs.domain.participation_errors import (
    AlreadyPlaced,
    BusinessPlanApprovedAlready,
    ContinuousImprovementRequired,
    MissingCommitments,
    NegativeCount,
    NoSelfEmploymentPlan,
    NotPlaced,
    NoWeeksPlanned,
    OutsideProjectDates,
    ParticipationAlreadyCompleted,
    ParticipationTooLong,
    PercentOutOfRange,
    ProjectTooLong,
    UnknownMeasures,
)
from services.programs.domain.rules import program_rules, program_rules_on
from services.programs.domain.seb_participation import SebCase, SebParticipation
from services.programs.domain.second_career import SecondCareerApplication
from services.programs.domain.second_career_eligibility import (
    SecondCareerFacts,
    check_training_length,
    second_career_findings,
)
from services.programs.domain.second_career_funding import FundingDecision, decide_funding
from services.programs.domain.second_career_state import (
    ApplicationStatus,
    Denial,
    TrainingRequest,
)

__all__ = [
    "AcademicUpgradingTooLong",
    "AlreadyPlaced",
    "ApplicationStatus",
    "ApprovedMoreThanRequested",
    "BusinessPlan",
    "BusinessPlanApprovedAlready",
    "BusinessPlanStatus",
    "CategoryLimitExceeded",
    "ClientNotEligible",
    "ClientStatus",
    "ContinuousImprovementRequired",
    "DateInFuture",
    "DateOutOfOrder",
    "Denial",
    "EiHistory",
    "ExplanationRequired",
    "FundingCapExceeded",
    "FundingDecision",
    "InvalidTransition",
    "JcpProject",
    "KnownClients",
    "MissingCommitments",
    "NegativeAmount",
    "NegativeCount",
    "NoCostsRequested",
    "NoProgramRules",
    "NoSelfEmploymentPlan",
    "NoWeeksPlanned",
    "NotPlaced",
    "NotStarted",
    "OutsideProjectDates",
    "Participant",
    "ParticipationAlreadyCompleted",
    "ParticipationTooLong",
    "PercentOutOfRange",
    "PlanCommitments",
    "ProgramsError",
    "Project",
    "ProjectTooLong",
    "SebCase",
    "SebParticipation",
    "SecondCareerApplication",
    "SecondCareerFacts",
    "SecondCareerReferral",
    "SecondCareerReferrals",
    "SelfEmploymentPlans",
    "TrainingLengthOutOfRange",
    "TrainingRequest",
    "UnknownClient",
    "UnknownCostCategory",
    "UnknownMeasures",
    "WrongRuleBook",
    "business_plan_stream_id",
    "check_training_length",
    "decide_funding",
    "ei_link_finding",
    "place_jcp_participant",
    "program_rules",
    "program_rules_on",
    "second_career_findings",
    "submit_seb_case",
    "submit_second_career_application",
]
