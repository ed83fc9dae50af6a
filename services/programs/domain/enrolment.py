"""Commands that consult lookups before the aggregate decides: who may enter a program.

Each checks the client is registered (and, for SEB, that the ES plan names
self-employment), then hands over to the aggregate, which applies the rule
book. The lookups are read before saving, so they give the clear error in the
ordinary case; they are not a lock.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.rulebook import RuleBook
from services.programs.domain.ei_link import EiHistory
from services.programs.domain.errors import UnknownClient
from services.programs.domain.jcp_project import JcpProject
from services.programs.domain.lookups import ClientStatus, KnownClients, SelfEmploymentPlans
from services.programs.domain.participation_errors import NoSelfEmploymentPlan
from services.programs.domain.seb_participation import SebParticipation
from services.programs.domain.second_career import SecondCareerApplication
from services.programs.domain.second_career_eligibility import SecondCareerFacts
from services.programs.domain.second_career_funding import Costs
from services.programs.domain.second_career_state import TrainingRequest


async def require_registered(client_id: UUID, known_clients: KnownClients) -> None:
    """Refuse a client intake has not registered."""
    if await known_clients.status(client_id) is not ClientStatus.REGISTERED:
        raise UnknownClient(client_id)


async def submit_second_career_application(
    *,
    application_id: UUID,
    client_id: UUID,
    site_id: str,
    request: TrainingRequest,
    requested_costs: Costs,
    facts: SecondCareerFacts,
    submitted_on: date,
    today: date,
    rulebook: RuleBook,
    known_clients: KnownClients,
) -> SecondCareerApplication:
    """Submit a Second Career application for a registered, eligible client."""
    await require_registered(client_id, known_clients)
    return SecondCareerApplication.submit(
        application_id=application_id,
        client_id=client_id,
        site_id=site_id,
        request=request,
        requested_costs=requested_costs,
        facts=facts,
        submitted_on=submitted_on,
        today=today,
        rulebook=rulebook,
    )


async def place_jcp_participant(
    project: JcpProject,
    client_id: UUID,
    *,
    placed_on: date,
    expected_end_on: date,
    hours_worked_per_week: int,
    ei_history: EiHistory,
    today: date,
    rulebook: RuleBook,
    known_clients: KnownClients,
) -> None:
    """Place a registered, unemployed, EI-linked client on a JCP project."""
    await require_registered(client_id, known_clients)
    project.place_participant(
        client_id,
        placed_on=placed_on,
        expected_end_on=expected_end_on,
        hours_worked_per_week=hours_worked_per_week,
        ei_history=ei_history,
        today=today,
        rulebook=rulebook,
    )


async def submit_seb_case(
    *,
    participation_id: UUID,
    client_id: UUID,
    site_id: str,
    plan_id: UUID,
    starts_on: date,
    planned_weeks: int,
    ei_history: EiHistory,
    submitted_on: date,
    today: date,
    rulebook: RuleBook,
    known_clients: KnownClients,
    self_employment_plans: SelfEmploymentPlans,
) -> SebParticipation:
    """Submit SEB for a registered, EI-linked client whose ES plan names self-employment.

    The plan must be the client's, held at the SEB's site and not closed.
    """
    await require_registered(client_id, known_clients)
    if not await self_employment_plans.names_self_employment(client_id, plan_id, site_id):
        raise NoSelfEmploymentPlan(client_id, plan_id)
    return SebParticipation.submit(
        participation_id=participation_id,
        client_id=client_id,
        site_id=site_id,
        plan_id=plan_id,
        starts_on=starts_on,
        planned_weeks=planned_weeks,
        ei_history=ei_history,
        submitted_on=submitted_on,
        today=today,
        rulebook=rulebook,
    )
