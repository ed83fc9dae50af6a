"""Program aggregates at known points of their life, with fixed synthetic ids and dates."""

from __future__ import annotations

import uuid
from datetime import date
from functools import cache
from typing import Any

from contracts.programs import SponsorType
from contracts.rulebook import LegalStatus, RuleBook, load_rulebook
from services.programs.domain import (
    BusinessPlan,
    EiHistory,
    JcpProject,
    PlanCommitments,
    SebParticipation,
    SecondCareerApplication,
    SecondCareerFacts,
    TrainingRequest,
)

CLIENT_ID = uuid.UUID("6f1c2a7e-1b8d-4c7e-9a51-2f0d8c1e4b3a")
OTHER_CLIENT_ID = uuid.UUID("8d2e4f60-3c1a-4b7e-8f0a-1e2d3c4b5a69")
APPLICATION_ID = uuid.UUID("2c9f1e3a-7b4d-4e8f-9a0b-1c2d3e4f5a6b")
PROJECT_ID = uuid.UUID("3d0a2f4b-8c5e-4f9a-8b1c-2d3e4f5a6b7c")
PARTICIPATION_ID = uuid.UUID("4e1b3a5c-9d6f-4a0b-9c2d-3e4f5a6b7c8d")
PLAN_ID = uuid.UUID("0b7e7d4a-5a53-4bd6-8d1f-8f5e0f7c2a11")
SITE_ID = "S001"
SUBMITTED_ON = date(2012, 6, 1)
TODAY = date(2014, 3, 31)
CAP = 2_800_000
"""$28,000.00 in cents: the rule book's Second Career funding cap."""


@cache
def rulebook(year: str = "2012-13") -> RuleBook:
    """The repository's rule book of a fiscal year."""
    return load_rulebook(year)


def eligible_facts(**overrides: Any) -> SecondCareerFacts:
    """A laid-off, unemployed Ontario citizen training for an occupation in demand."""
    arguments: dict[str, Any] = {
        "laid_off": True,
        "laid_off_on": date(2012, 2, 15),
        "hours_worked_per_week": 0,
        "ontario_resident": True,
        "legal_status": LegalStatus.CITIZEN,
        "occupation_in_demand": True,
    }
    return SecondCareerFacts(**(arguments | overrides))


def training(**overrides: Any) -> TrainingRequest:
    """A 52-week college program without academic upgrading."""
    arguments: dict[str, Any] = {
        "training_program": "Truck and coach technician diploma, community college",
        "occupation": "Truck and transport mechanic",
        "noc_code": "7321",
        "training_weeks": 52,
        "academic_upgrading_weeks": 0,
    }
    return TrainingRequest(**(arguments | overrides))


REQUESTED = {"tuition": 1_000_000, "books": 100_000, "basic-living-allowance": 1_700_000}
"""$28,000.00 requested in three categories."""


def submitted_application(**overrides: Any) -> SecondCareerApplication:
    """An application submitted on ``SUBMITTED_ON`` with nothing saved yet."""
    arguments: dict[str, Any] = {
        "application_id": APPLICATION_ID,
        "client_id": CLIENT_ID,
        "site_id": SITE_ID,
        "request": training(),
        "requested_costs": REQUESTED,
        "facts": eligible_facts(),
        "submitted_on": SUBMITTED_ON,
        "today": TODAY,
        "rulebook": rulebook(),
    }
    return SecondCareerApplication.submit(**(arguments | overrides))


def approved_application() -> SecondCareerApplication:
    """An application approved in full on 15 June 2012."""
    application = submitted_application()
    application.approve(REQUESTED, approved_on=date(2012, 6, 15), today=TODAY, rulebook=rulebook())
    return application


def training_application() -> SecondCareerApplication:
    """An approved application whose training started on 4 September 2012."""
    application = approved_application()
    application.start_training(started_on=date(2012, 9, 4), today=TODAY)
    return application


PROJECT_START = date(2012, 6, 4)
PROJECT_END = date(2013, 6, 2)
"""A 52-week project: 364 days, both ends counted."""


PROJECT_APPROVED = date(2012, 5, 28)


def project(*, approved: bool = True, **overrides: Any) -> JcpProject:
    """A 52-week JCP project starting 4 June 2012, approved by the ministry unless told."""
    arguments: dict[str, Any] = {
        "project_id": PROJECT_ID,
        "site_id": SITE_ID,
        "sponsor_name": "Grand River Conservation Trust",
        "sponsor_type": SponsorType.NON_PROFIT,
        "title": "Trail restoration and signage",
        "starts_on": PROJECT_START,
        "ends_on": PROJECT_END,
        "rulebook": rulebook(),
    }
    jcp = JcpProject.create(**(arguments | overrides))
    if approved:
        jcp.approve(approved_on=PROJECT_APPROVED, today=TODAY)
    return jcp


ACTIVE_CLAIM = EiHistory(active_claim=True)


def place(jcp: JcpProject, client_id: Any = CLIENT_ID, **overrides: Any) -> None:
    """Place an unemployed client with an active EI claim on the project on 2 July 2012."""
    arguments: dict[str, Any] = {
        "placed_on": date(2012, 7, 2),
        "expected_end_on": date(2013, 3, 29),
        "hours_worked_per_week": 0,
        "ei_history": ACTIVE_CLAIM,
        "today": TODAY,
        "rulebook": rulebook(),
    }
    jcp.place_participant(client_id, **(arguments | overrides))


SEB_START = date(2012, 9, 10)
SEB_SUBMITTED = date(2012, 8, 20)
SEB_APPROVED = date(2012, 8, 31)


def seb_case(**overrides: Any) -> SebParticipation:
    """A 42-week SEB case of a client with an active claim, submitted 20 Aug 2012 for 10 Sep."""
    arguments: dict[str, Any] = {
        "participation_id": PARTICIPATION_ID,
        "client_id": CLIENT_ID,
        "site_id": SITE_ID,
        "plan_id": PLAN_ID,
        "starts_on": SEB_START,
        "planned_weeks": 42,
        "ei_history": ACTIVE_CLAIM,
        "submitted_on": SEB_SUBMITTED,
        "today": TODAY,
        "rulebook": rulebook(),
    }
    return SebParticipation.submit(**(arguments | overrides))


def seb(**overrides: Any) -> SebParticipation:
    """That case approved on 31 Aug 2012 and started on 10 Sep 2012."""
    participation = seb_case(**overrides)
    participation.approve(approved_on=SEB_APPROVED, today=TODAY)
    participation.start_benefit(started_on=SEB_START, today=TODAY)
    return participation


CORE = {
    "customer_satisfaction": 88.0,
    "service_coordination": 55.0,
    "client_suitability": 45.0,
    "client_impact": 72.0,
    "service_efficiency": 90.0,
}


def commitments(**overrides: Any) -> PlanCommitments:
    """Commitments to every core measure, 420 assisted and 3000 R&I clients, one CI target."""
    arguments: dict[str, Any] = {
        "core_measures": CORE,
        "planned_assisted_clients": 420,
        "planned_ri_clients": 3000,
        "continuous_improvement": {"client_impact": 75.0},
    }
    return PlanCommitments(**(arguments | overrides))


def submitted_plan(**overrides: Any) -> BusinessPlan:
    """S001's 2012-13 business plan, submitted on 15 March 2012."""
    arguments: dict[str, Any] = {
        "site_id": SITE_ID,
        "commitments": commitments(),
        "submitted_on": date(2012, 3, 15),
        "today": TODAY,
        "rulebook": rulebook(),
    }
    return BusinessPlan.submit(**(arguments | overrides))
