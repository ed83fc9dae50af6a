"""HTTP routes of ``/seb/participations``: the site submits, the ministry decides, the site runs."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import Protocol, TypeVar
from uuid import UUID

from fastapi import APIRouter, Response

from chassis.http import (
    ClientLevelPrincipal,
    CorrelationId,
    IdempotencyKey,
    IdempotentRoute,
    id_for_idempotency_key,
    require_site_access,
)
from contracts.envelope import EventMetadata
from services.programs.app import commands
from services.programs.app import seb as use_cases
from services.programs.app.seb import Participations
from services.programs.domain import SebParticipation
from services.programs.entrypoints.dependencies import (
    AccessibleParticipation,
    Change,
    Collaborators,
    ParticipationDecision,
    ParticipationToChange,
    Today,
    metadata_for,
)
from services.programs.entrypoints.problems import NOT_FOUND_RESPONSE
from services.programs.entrypoints.response_bodies import ParticipationView

C = TypeVar("C", contravariant=True)


class ParticipationUseCase(Protocol[C]):
    """A use case changing one SEB case: its command, the case, today, metadata."""

    def __call__(
        self,
        command: C,
        /,
        *,
        participation_id: UUID,
        today: date,
        metadata: EventMetadata,
        participations: Participations,
    ) -> Awaitable[SebParticipation]: ...


def _answer(response: Response, participation: SebParticipation) -> ParticipationView:
    view = ParticipationView.of(participation)
    response.headers["ETag"] = f'"{view.version}"'
    return view


async def _apply(
    use_case: ParticipationUseCase[C], command: C, change: Change, response: Response
) -> ParticipationView:
    """Run ``use_case`` on the case the path names and answer with the result."""
    participation = await use_case(
        command,
        participation_id=change.access.resource_id,
        today=change.today,
        metadata=change.access.metadata,
        participations=change.programs.participations,
    )
    return _answer(response, participation)


def seb_router() -> APIRouter:
    """Routes of ``/seb/participations``."""
    router = APIRouter(
        prefix="/seb/participations",
        route_class=IdempotentRoute,
        tags=["self-employment benefit"],
        responses=NOT_FOUND_RESPONSE,
    )

    @router.post("", status_code=201, summary="Submit an SEB case")
    async def submit(
        command: commands.SubmitSeb,
        principal: ClientLevelPrincipal,
        key: IdempotencyKey,
        correlation_id: CorrelationId,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> ParticipationView:
        """Submit SEB for a registered, EI-linked client whose ES plan names self-employment.

        The plan (``plan_id``) must be the client's, at this site, not closed,
        and name self-employment, as caseload's events told programs; otherwise
        422 ``no-self-employment-plan``. The case is ``submitted``: the site's
        region's Employment and Training Consultant approves or denies it.
        """
        require_site_access(principal, command.site_id, hide_existence=False)
        participation = await use_cases.submit_participation(
            command,
            participation_id=id_for_idempotency_key(principal.subject, key),
            today=today,
            metadata=metadata_for(principal, correlation_id, command.site_id),
            participations=programs.participations,
            known_clients=programs.known_clients,
            self_employment_plans=programs.self_employment_plans,
            rulebooks=programs.rulebooks,
        )
        response.headers["Location"] = f"/seb/participations/{participation.id}"
        return _answer(response, participation)

    @router.get("/{participation_id}", summary="Read an SEB case")
    async def read(
        access: AccessibleParticipation, programs: Collaborators, response: Response
    ) -> ParticipationView:
        """The case with its submission, decision, start and completion."""
        participation = await use_cases.get_participation(
            participation_id=access.resource_id, participations=programs.participations
        )
        return _answer(response, participation)

    @router.post("/{participation_id}/approval", summary="Approve the SEB case")
    async def approve(
        command: commands.ApproveCase, change: ParticipationDecision, response: Response
    ) -> ParticipationView:
        """Approve the submitted case (the site's region's consultant only; 403 otherwise)."""
        return await _apply(use_cases.approve_participation, command, change, response)

    @router.post("/{participation_id}/denial", summary="Deny the SEB case")
    async def deny(
        command: commands.DenyCase, change: ParticipationDecision, response: Response
    ) -> ParticipationView:
        """Deny the submitted case with a reason (the site's region's consultant only)."""
        return await _apply(use_cases.deny_participation, command, change, response)

    @router.post("/{participation_id}/start", summary="Start the approved benefit")
    async def start(
        command: commands.StartSeb, change: ParticipationToChange, response: Response
    ) -> ParticipationView:
        """Record the benefit's first day (409 ``invalid-transition`` unless approved)."""
        return await _apply(use_cases.start_participation, command, change, response)

    @router.post("/{participation_id}/completion", summary="Complete an SEB participation")
    async def complete(
        command: commands.CompleteParticipation,
        change: ParticipationToChange,
        response: Response,
    ) -> ParticipationView:
        """End the participation, once, not before its start."""
        return await _apply(use_cases.complete_participation, command, change, response)

    return router
