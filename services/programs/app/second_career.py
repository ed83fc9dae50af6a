"""Second Career use cases: submit, decide, train, withdraw, read.

Each takes its command (see :mod:`services.programs.app.commands`); a command on
an existing application carries the ``expected_version`` the caller read.
"""

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
    SecondCareerApplication,
    submit_second_career_application,
)

WHAT = "Second Career application"
Applications = Streams[SecondCareerApplication]


async def submit_application(
    command: commands.SubmitApplication,
    *,
    application_id: UUID,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
    known_clients: KnownClients,
    rulebooks: RuleBookShelf,
) -> SecondCareerApplication:
    """Submit an application for a registered, eligible client."""
    application = await submit_second_career_application(
        application_id=application_id,
        client_id=command.client_id,
        site_id=command.site_id,
        request=command.training_request(),
        requested_costs=command.requested_costs_cents,
        facts=command.facts.to_domain(),
        submitted_on=command.submitted_on,
        today=today,
        rulebook=rulebooks.for_day(command.submitted_on),
        known_clients=known_clients,
    )
    await applications.add(
        application_id,
        application,
        metadata,
        site_id=command.site_id,
        client_id=command.client_id,
    )
    return application


async def approve_application(
    command: commands.ApproveApplication,
    *,
    application_id: UUID,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
    rulebooks: RuleBookShelf,
) -> SecondCareerApplication:
    """Approve amounts within the request, the category limits and the cap."""
    application = await _at_version(applications, application_id, command.expected_version)
    submitted_on = application.submitted_on or command.approved_on
    application.approve(
        command.approved_costs_cents,
        approved_on=command.approved_on,
        today=today,
        rulebook=rulebooks.for_day(submitted_on),
    )
    await applications.save(application_id, application, metadata)
    return application


async def deny_application(
    command: commands.DenyApplication,
    *,
    application_id: UUID,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
) -> SecondCareerApplication:
    """Deny with a reason code and the reason in words."""
    application = await _at_version(applications, application_id, command.expected_version)
    application.deny(command.reason, command.explanation, denied_on=command.denied_on, today=today)
    await applications.save(application_id, application, metadata)
    return application


async def start_training(
    command: commands.StartTraining,
    *,
    application_id: UUID,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
) -> SecondCareerApplication:
    """Record the start of approved training."""
    application = await _at_version(applications, application_id, command.expected_version)
    application.start_training(started_on=command.started_on, today=today)
    await applications.save(application_id, application, metadata)
    return application


async def complete_training(
    command: commands.CompleteTraining,
    *,
    application_id: UUID,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
) -> SecondCareerApplication:
    """Record the completion of training under way."""
    application = await _at_version(applications, application_id, command.expected_version)
    application.complete_training(completed_on=command.completed_on, today=today)
    await applications.save(application_id, application, metadata)
    return application


async def withdraw_application(
    command: commands.Withdraw,
    *,
    application_id: UUID,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
) -> SecondCareerApplication:
    """Withdraw before a decision, after approval or during training."""
    application = await _at_version(applications, application_id, command.expected_version)
    application.withdraw(withdrawn_on=command.withdrawn_on, today=today)
    await applications.save(application_id, application, metadata)
    return application


async def get_application(
    *, application_id: UUID, applications: Applications
) -> SecondCareerApplication:
    """The application as it stands, or ``ResourceMissing``."""
    return existing(await applications.get(application_id), WHAT, application_id)


async def _at_version(
    applications: Applications, application_id: UUID, expected_version: int
) -> SecondCareerApplication:
    return at_version(
        await applications.get(application_id), WHAT, application_id, expected_version
    )
