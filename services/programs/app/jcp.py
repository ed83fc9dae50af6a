"""JCP use cases: create (site), approve or deny (ministry), place and complete participants."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.envelope import EventMetadata
from contracts.rulebook import RuleBookShelf
from services.programs.app import commands
from services.programs.app.loading import at_version, existing
from services.programs.app.ports import Streams
from services.programs.domain import JcpProject, KnownClients, place_jcp_participant

WHAT = "JCP project"
Projects = Streams[JcpProject]


async def create_project(
    command: commands.CreateProject,
    *,
    project_id: UUID,
    metadata: EventMetadata,
    projects: Projects,
    rulebooks: RuleBookShelf,
) -> JcpProject:
    """Create a project of at most the rule book's weeks."""
    project = JcpProject.create(
        project_id=project_id,
        site_id=command.site_id,
        sponsor_name=command.sponsor_name,
        sponsor_type=command.sponsor_type,
        title=command.title,
        starts_on=command.starts_on,
        ends_on=command.ends_on,
        rulebook=rulebooks.for_day(command.starts_on),
    )
    await projects.add(project_id, project, metadata, site_id=command.site_id)
    return project


async def approve_project(
    command: commands.ApproveCase,
    *,
    project_id: UUID,
    today: date,
    metadata: EventMetadata,
    projects: Projects,
) -> JcpProject:
    """The ministry approves the project; participants may be placed."""
    project = at_version(await projects.get(project_id), WHAT, project_id, command.expected_version)
    project.approve(approved_on=command.approved_on, today=today)
    await projects.save(project_id, project, metadata)
    return project


async def deny_project(
    command: commands.DenyCase,
    *,
    project_id: UUID,
    today: date,
    metadata: EventMetadata,
    projects: Projects,
) -> JcpProject:
    """The ministry denies the project with a reason."""
    project = at_version(await projects.get(project_id), WHAT, project_id, command.expected_version)
    project.deny(command.reason, command.explanation, denied_on=command.denied_on, today=today)
    await projects.save(project_id, project, metadata)
    return project


async def place_participant(
    command: commands.PlaceParticipant,
    *,
    project_id: UUID,
    today: date,
    metadata: EventMetadata,
    projects: Projects,
    known_clients: KnownClients,
    rulebooks: RuleBookShelf,
) -> JcpProject:
    """Place a registered, unemployed, EI-linked client on the project."""
    project = at_version(await projects.get(project_id), WHAT, project_id, command.expected_version)
    await place_jcp_participant(
        project,
        command.client_id,
        placed_on=command.placed_on,
        expected_end_on=command.expected_end_on,
        hours_worked_per_week=command.hours_worked_per_week,
        ei_history=command.ei_history.to_domain(),
        today=today,
        rulebook=rulebooks.for_day(command.placed_on),
        known_clients=known_clients,
    )
    await projects.save(project_id, project, metadata)
    return project


async def complete_participation(
    command: commands.CompleteParticipation,
    *,
    project_id: UUID,
    client_id: UUID,
    today: date,
    metadata: EventMetadata,
    projects: Projects,
) -> JcpProject:
    """End a placed participant's participation."""
    project = at_version(await projects.get(project_id), WHAT, project_id, command.expected_version)
    project.complete_participation(client_id, completed_on=command.completed_on, today=today)
    await projects.save(project_id, project, metadata)
    return project


async def get_project(*, project_id: UUID, projects: Projects) -> JcpProject:
    """The project as it stands, or ``ResourceMissing``."""
    return existing(await projects.get(project_id), WHAT, project_id)
