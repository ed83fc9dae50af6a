"""HTTP routes of ``/jcp/projects``: the site creates, the ministry decides, the site places."""

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
from services.programs.app import commands
from services.programs.app import jcp as use_cases
from services.programs.domain import JcpProject
from services.programs.entrypoints.dependencies import (
    AccessibleProject,
    Collaborators,
    ProjectDecision,
    Today,
    metadata_for,
)
from services.programs.entrypoints.problems import NOT_FOUND_RESPONSE
from services.programs.entrypoints.response_bodies import ProjectView


def _answer(response: Response, project: JcpProject) -> ProjectView:
    view = ProjectView.of(project)
    response.headers["ETag"] = f'"{view.version}"'
    return view


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
        """Submit a sponsor's project with fixed dates (422 if longer than the rule book's).

        The project is ``submitted``: the site's region's Employment and Training
        Consultant approves or denies it; participants are placed once approved.
        """
        require_site_access(principal, command.site_id, hide_existence=False)
        project = await use_cases.create_project(
            command,
            project_id=id_for_idempotency_key(principal.subject, key),
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

    @router.post("/{project_id}/approval", summary="Approve the JCP project")
    async def approve(
        command: commands.ApproveCase, change: ProjectDecision, response: Response
    ) -> ProjectView:
        """Approve the submitted project (the site's region's consultant only; 403 otherwise)."""
        project = await use_cases.approve_project(
            command,
            project_id=change.access.resource_id,
            today=change.today,
            metadata=change.access.metadata,
            projects=change.programs.projects,
        )
        return _answer(response, project)

    @router.post("/{project_id}/denial", summary="Deny the JCP project")
    async def deny(
        command: commands.DenyCase, change: ProjectDecision, response: Response
    ) -> ProjectView:
        """Deny the submitted project with a reason (the site's region's consultant only)."""
        project = await use_cases.deny_project(
            command,
            project_id=change.access.resource_id,
            today=change.today,
            metadata=change.access.metadata,
            projects=change.programs.projects,
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
        """Place a registered, unemployed, EI-linked client on the approved project.

        409 ``invalid-transition`` while the project waits for the ministry's
        decision or after a denial.
        """
        project = await use_cases.place_participant(
            command,
            project_id=access.resource_id,
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
            command,
            project_id=access.resource_id,
            client_id=client_id,
            today=today,
            metadata=access.metadata,
            projects=programs.projects,
        )
        return _answer(response, project)

    return router
