"""JCP use cases: create a project, place and complete participants, read."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.envelope import EventMetadata
from contracts.programs import SponsorType
from contracts.rulebook import RuleBookShelf
from services.programs.app.loading import at_version, existing
from services.programs.app.ports import Streams
from services.programs.domain import EiHistory, JcpProject, KnownClients, place_jcp_participant

WHAT = "JCP project"
Projects = Streams[JcpProject]


async def create_project(
    *,
    project_id: UUID,
    site_id: str,
    sponsor_name: str,
    sponsor_type: SponsorType,
    title: str,
    starts_on: date,
    ends_on: date,
    metadata: EventMetadata,
    projects: Projects,
    rulebooks: RuleBookShelf,
) -> JcpProject:
    """Create a project of at most the rule book's weeks."""
    project = JcpProject.create(
        project_id=project_id,
        site_id=site_id,
        sponsor_name=sponsor_name,
        sponsor_type=sponsor_type,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        rulebook=rulebooks.for_day(starts_on),
    )
    await projects.add(project_id, project, metadata, site_id=site_id)
    return project


async def place_participant(
    *,
    project_id: UUID,
    expected_version: int,
    client_id: UUID,
    placed_on: date,
    expected_end_on: date,
    hours_worked_per_week: int,
    ei_history: EiHistory,
    today: date,
    metadata: EventMetadata,
    projects: Projects,
    known_clients: KnownClients,
    rulebooks: RuleBookShelf,
) -> JcpProject:
    """Place a registered, unemployed, EI-linked client on the project."""
    project = at_version(await projects.get(project_id), WHAT, project_id, expected_version)
    await place_jcp_participant(
        project,
        client_id,
        placed_on=placed_on,
        expected_end_on=expected_end_on,
        hours_worked_per_week=hours_worked_per_week,
        ei_history=ei_history,
        today=today,
        rulebook=rulebooks.for_day(placed_on),
        known_clients=known_clients,
    )
    await projects.save(project_id, project, metadata)
    return project


async def complete_participation(
    *,
    project_id: UUID,
    expected_version: int,
    client_id: UUID,
    completed_on: date,
    today: date,
    metadata: EventMetadata,
    projects: Projects,
) -> JcpProject:
    """End a placed participant's participation."""
    project = at_version(await projects.get(project_id), WHAT, project_id, expected_version)
    project.complete_participation(client_id, completed_on=completed_on, today=today)
    await projects.save(project_id, project, metadata)
    return project


async def get_project(*, project_id: UUID, projects: Projects) -> JcpProject:
    """The project as it stands, or ``ResourceMissing``."""
    return existing(await projects.get(project_id), WHAT, project_id)
