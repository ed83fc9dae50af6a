"""HTTP routes of ``/seb/participations``."""

from __future__ import annotations

from fastapi import APIRouter, Response

from chassis.http import (
    ClientLevelPrincipal,
    CorrelationId,
    IdempotencyKey,
    IdempotentRoute,
    id_for_idempotency_key,
    require_site_access,
)
from services.programs.app import commands
from services.programs.app import seb as use_cases
from services.programs.domain import SebParticipation
from services.programs.entrypoints.dependencies import (
    AccessibleParticipation,
    Collaborators,
    Today,
    metadata_for,
)
from services.programs.entrypoints.problems import NOT_FOUND_RESPONSE
from services.programs.entrypoints.response_bodies import ParticipationView


def _answer(response: Response, participation: SebParticipation) -> ParticipationView:
    view = ParticipationView.of(participation)
    response.headers["ETag"] = f'"{view.version}"'
    return view


def seb_router() -> APIRouter:
    """Routes of ``/seb/participations``."""
    router = APIRouter(
        prefix="/seb/participations",
        route_class=IdempotentRoute,
        tags=["self-employment benefit"],
        responses=NOT_FOUND_RESPONSE,
    )

    @router.post("", status_code=201, summary="Start an SEB participation")
    async def start(
        command: commands.StartSeb,
        principal: ClientLevelPrincipal,
        key: IdempotencyKey,
        correlation_id: CorrelationId,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> ParticipationView:
        """Start SEB for a registered, EI-linked client whose ES plan names self-employment.

        The plan (``plan_id``) must be the client's, at this site, not closed,
        and name self-employment, as caseload's events told programs; otherwise
        422 ``no-self-employment-plan``.
        """
        require_site_access(principal, command.site_id, hide_existence=False)
        participation = await use_cases.start_participation(
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

    @router.get("/{participation_id}", summary="Read an SEB participation")
    async def read(
        access: AccessibleParticipation, programs: Collaborators, response: Response
    ) -> ParticipationView:
        """The participation with its start and completion."""
        participation = await use_cases.get_participation(
            participation_id=access.resource_id, participations=programs.participations
        )
        return _answer(response, participation)

    @router.post("/{participation_id}/completion", summary="Complete an SEB participation")
    async def complete(
        command: commands.CompleteParticipation,
        access: AccessibleParticipation,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> ParticipationView:
        """End the participation, once, not before its start."""
        participation = await use_cases.complete_participation(
            command,
            participation_id=access.resource_id,
            today=today,
            metadata=access.metadata,
            participations=programs.participations,
        )
        return _answer(response, participation)

    return router
