"""Second Career use cases: submit, decide, train, withdraw, read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

from contracts.envelope import EventMetadata
from contracts.programs import DenialReason
from contracts.rulebook import RuleBookShelf
from services.programs.app.loading import at_version, existing
from services.programs.app.ports import Streams
from services.programs.domain import (
    KnownClients,
    SecondCareerApplication,
    SecondCareerFacts,
    TrainingRequest,
    submit_second_career_application,
)

WHAT = "Second Career application"
Applications = Streams[SecondCareerApplication]


async def submit_application(
    *,
    application_id: UUID,
    client_id: UUID,
    site_id: str,
    request: TrainingRequest,
    requested_costs: Mapping[str, int],
    facts: SecondCareerFacts,
    submitted_on: date,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
    known_clients: KnownClients,
    rulebooks: RuleBookShelf,
) -> SecondCareerApplication:
    """Submit an application for a registered, eligible client."""
    application = await submit_second_career_application(
        application_id=application_id,
        client_id=client_id,
        site_id=site_id,
        request=request,
        requested_costs=requested_costs,
        facts=facts,
        submitted_on=submitted_on,
        today=today,
        rulebook=rulebooks.for_day(submitted_on),
        known_clients=known_clients,
    )
    await applications.add(
        application_id, application, metadata, site_id=site_id, client_id=client_id
    )
    return application


async def approve_application(
    *,
    application_id: UUID,
    expected_version: int,
    approved_costs: Mapping[str, int],
    approved_on: date,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
    rulebooks: RuleBookShelf,
) -> SecondCareerApplication:
    """Approve amounts within the request, the category limits and the cap."""
    found = await applications.get(application_id)
    application = at_version(found, WHAT, application_id, expected_version)
    submitted_on = application.submitted_on or approved_on
    application.approve(
        approved_costs,
        approved_on=approved_on,
        today=today,
        rulebook=rulebooks.for_day(submitted_on),
    )
    await applications.save(application_id, application, metadata)
    return application


async def deny_application(
    *,
    application_id: UUID,
    expected_version: int,
    reason: DenialReason,
    explanation: str,
    denied_on: date,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
) -> SecondCareerApplication:
    """Deny with a reason code and the reason in words."""
    found = await applications.get(application_id)
    application = at_version(found, WHAT, application_id, expected_version)
    application.deny(reason, explanation, denied_on=denied_on, today=today)
    await applications.save(application_id, application, metadata)
    return application


async def start_training(
    *,
    application_id: UUID,
    expected_version: int,
    started_on: date,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
) -> SecondCareerApplication:
    """Record the start of approved training."""
    found = await applications.get(application_id)
    application = at_version(found, WHAT, application_id, expected_version)
    application.start_training(started_on=started_on, today=today)
    await applications.save(application_id, application, metadata)
    return application


async def complete_training(
    *,
    application_id: UUID,
    expected_version: int,
    completed_on: date,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
) -> SecondCareerApplication:
    """Record the completion of training under way."""
    found = await applications.get(application_id)
    application = at_version(found, WHAT, application_id, expected_version)
    application.complete_training(completed_on=completed_on, today=today)
    await applications.save(application_id, application, metadata)
    return application


async def withdraw_application(
    *,
    application_id: UUID,
    expected_version: int,
    withdrawn_on: date,
    today: date,
    metadata: EventMetadata,
    applications: Applications,
) -> SecondCareerApplication:
    """Withdraw before a decision, after approval or during training."""
    found = await applications.get(application_id)
    application = at_version(found, WHAT, application_id, expected_version)
    application.withdraw(withdrawn_on=withdrawn_on, today=today)
    await applications.save(application_id, application, metadata)
    return application


async def get_application(
    *, application_id: UUID, applications: Applications
) -> SecondCareerApplication:
    """The application as it stands, or ``ResourceMissing``."""
    return existing(await applications.get(application_id), WHAT, application_id)
