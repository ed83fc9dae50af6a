"""HTTP routes of ``/jcp/projects``."""

from __future__ import annotations

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
from services.programs.app import jcp as use_cases
from services.programs.domain import EiHistory, JcpProject
from services.programs.entrypoints import commands
from services.programs.entrypoints.dependencies import (
    AccessibleProject,
    Collaborators,
    Today,
    metadata_for,
)
from services.programs.entrypoints.problems import NOT_FOUND_RESPONSE
from services.programs.entrypoints.response_bodies import ProjectView


def _answer(response: Response, project: JcpProject) -> ProjectView:
    view = ProjectView.of(project)
    response.headers["ETag"] = f'"{view.version}"'
    return view


def ei_history(body: commands.EiHistoryBody) -> EiHistory:
    """The domain's EI history from a request body."""
    return EiHistory(
        body.active_claim, body.last_claim_ended_on, body.last_claim_parental, body.premium_years
    )


def jcp_router() -> APIRouter:
    """Routes of ``/jcp/projects``."""
    router = APIRouter(
        prefix="/jcp/projects",
        route_class=IdempotentRoute,
        tags=["job creation partnerships"],
        responses=NOT_FOUND_RESPONSE,
    )

    @router.post("", status_code=201, summary="Create a JCP project")
    async def create(
        command: commands.CreateProject,
        principal: ClientLevelPrincipal,
        key: IdempotencyKey,
        correlation_id: CorrelationId,
        programs: Collaborators,
        response: Response,
    ) -> ProjectView:
        """Create a sponsor's project with fixed dates (422 if longer than the rule book's)."""
        require_site_access(principal, command.site_id, hide_existence=False)
        project = await use_cases.create_project(
            project_id=id_for_idempotency_key(principal.subject, key),
            site_id=command.site_id,
            sponsor_name=command.sponsor_name,
            sponsor_type=command.sponsor_type,
            title=command.title,
            starts_on=command.starts_on,
            ends_on=command.ends_on,
            metadata=metadata_for(principal, correlation_id, command.site_id),
            projects=programs.projects,
            rulebooks=programs.rulebooks,
        )
        response.headers["Location"] = f"/jcp/projects/{project.id}"
        return _answer(response, project)

    @router.get("/{project_id}", summary="Read a JCP project")
    async def read(
        access: AccessibleProject, programs: Collaborators, response: Response
    ) -> ProjectView:
        """The project with its participants."""
        project = await use_cases.get_project(
            project_id=access.resource_id, projects=programs.projects
        )
        return _answer(response, project)

    @router.post("/{project_id}/participants", summary="Place a participant")
    async def place(
        command: commands.PlaceParticipant,
        access: AccessibleProject,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> ProjectView:
        """Place a registered, unemployed, EI-linked client within the project's dates."""
        project = await use_cases.place_participant(
            project_id=access.resource_id,
            expected_version=command.expected_version,
            client_id=command.client_id,
            placed_on=command.placed_on,
            expected_end_on=command.expected_end_on,
            hours_worked_per_week=command.hours_worked_per_week,
            ei_history=ei_history(command.ei_history),
            today=today,
            metadata=access.metadata,
            projects=programs.projects,
            known_clients=programs.known_clients,
            rulebooks=programs.rulebooks,
        )
        return _answer(response, project)

    @router.post(
        "/{project_id}/participants/{client_id}/completion", summary="Complete a participation"
    )
    async def complete(
        client_id: UUID,
        command: commands.CompleteParticipation,
        access: AccessibleProject,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> ProjectView:
        """End a placed participant's participation, once."""
        project = await use_cases.complete_participation(
            project_id=access.resource_id,
            expected_version=command.expected_version,
            client_id=client_id,
            completed_on=command.completed_on,
            today=today,
            metadata=access.metadata,
            projects=programs.projects,
        )
        return _answer(response, project)

    return router
