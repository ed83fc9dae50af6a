"""SEB use cases: start, complete, read."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.envelope import EventMetadata
from contracts.rulebook import RuleBookShelf
from services.programs.app import commands
from services.programs.app.loading import at_version, existing
from services.programs.app.ports import Streams
from services.programs.domain import (
    KnownClients,
    SebParticipation,
    SelfEmploymentPlans,
    start_seb_participation,
)

WHAT = "SEB participation"
Participations = Streams[SebParticipation]


async def start_participation(
    command: commands.StartSeb,
    *,
    participation_id: UUID,
    today: date,
    metadata: EventMetadata,
    participations: Participations,
    known_clients: KnownClients,
    self_employment_plans: SelfEmploymentPlans,
    rulebooks: RuleBookShelf,
) -> SebParticipation:
    """Start SEB for a registered, EI-linked client whose ES plan names self-employment."""
    participation = await start_seb_participation(
        participation_id=participation_id,
        client_id=command.client_id,
        site_id=command.site_id,
        plan_id=command.plan_id,
        started_on=command.started_on,
        planned_weeks=command.planned_weeks,
        ei_history=command.ei_history.to_domain(),
        today=today,
        rulebook=rulebooks.for_day(command.started_on),
        known_clients=known_clients,
        self_employment_plans=self_employment_plans,
    )
    await participations.add(
        participation_id,
        participation,
        metadata,
        site_id=command.site_id,
        client_id=command.client_id,
    )
    return participation


async def complete_participation(
    command: commands.CompleteParticipation,
    *,
    participation_id: UUID,
    today: date,
    metadata: EventMetadata,
    participations: Participations,
) -> SebParticipation:
    """End the participation, once."""
    found = await participations.get(participation_id)
    participation = at_version(found, WHAT, participation_id, command.expected_version)
    participation.complete(completed_on=command.completed_on, today=today)
    await participations.save(participation_id, participation, metadata)
    return participation


async def get_participation(
    *, participation_id: UUID, participations: Participations
) -> SebParticipation:
    """The participation as it stands, or ``ResourceMissing``."""
    return existing(await participations.get(participation_id), WHAT, participation_id)
