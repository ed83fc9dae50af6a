"""SEB use cases: submit (site), approve or deny (ministry), start and complete (site), read."""

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
    submit_seb_case,
)

WHAT = "SEB participation"
Participations = Streams[SebParticipation]


async def submit_participation(
    command: commands.SubmitSeb,
    *,
    participation_id: UUID,
    today: date,
    metadata: EventMetadata,
    participations: Participations,
    known_clients: KnownClients,
    self_employment_plans: SelfEmploymentPlans,
    rulebooks: RuleBookShelf,
) -> SebParticipation:
    """Submit SEB for a registered, EI-linked client whose ES plan names self-employment."""
    participation = await submit_seb_case(
        participation_id=participation_id,
        client_id=command.client_id,
        site_id=command.site_id,
        plan_id=command.plan_id,
        starts_on=command.starts_on,
        planned_weeks=command.planned_weeks,
        ei_history=command.ei_history.to_domain(),
        submitted_on=command.submitted_on,
        today=today,
        rulebook=rulebooks.for_day(command.starts_on),
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


async def _changed(
    participation_id: UUID, expected_version: int, participations: Participations
) -> SebParticipation:
    found = await participations.get(participation_id)
    return at_version(found, WHAT, participation_id, expected_version)


async def approve_participation(
    command: commands.ApproveCase,
    *,
    participation_id: UUID,
    today: date,
    metadata: EventMetadata,
    participations: Participations,
) -> SebParticipation:
    """The ministry approves the submitted case."""
    participation = await _changed(participation_id, command.expected_version, participations)
    participation.approve(approved_on=command.approved_on, today=today)
    await participations.save(participation_id, participation, metadata)
    return participation


async def deny_participation(
    command: commands.DenyCase,
    *,
    participation_id: UUID,
    today: date,
    metadata: EventMetadata,
    participations: Participations,
) -> SebParticipation:
    """The ministry denies the submitted case with a reason."""
    participation = await _changed(participation_id, command.expected_version, participations)
    participation.deny(
        command.reason, command.explanation, denied_on=command.denied_on, today=today
    )
    await participations.save(participation_id, participation, metadata)
    return participation


async def start_participation(
    command: commands.StartSeb,
    *,
    participation_id: UUID,
    today: date,
    metadata: EventMetadata,
    participations: Participations,
) -> SebParticipation:
    """Record the benefit's first day of an approved case."""
    participation = await _changed(participation_id, command.expected_version, participations)
    participation.start_benefit(started_on=command.started_on, today=today)
    await participations.save(participation_id, participation, metadata)
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
    participation = await _changed(participation_id, command.expected_version, participations)
    participation.complete(completed_on=command.completed_on, today=today)
    await participations.save(participation_id, participation, metadata)
    return participation


async def get_participation(
    *, participation_id: UUID, participations: Participations
) -> SebParticipation:
    """The participation as it stands, or ``ResourceMissing``."""
    return existing(await participations.get(participation_id), WHAT, participation_id)
