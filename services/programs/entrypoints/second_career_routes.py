"""HTTP routes of ``/second-career/applications``; answers show the ES referral they came from."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from functools import partial
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
from services.programs.app import second_career as use_cases
from services.programs.app.second_career import Applications
from services.programs.domain import SecondCareerApplication
from services.programs.entrypoints.dependencies import (
    AccessibleApplication,
    ApplicationDecision,
    ApplicationToChange,
    Change,
    Collaborators,
    Programs,
    Today,
    metadata_for,
)
from services.programs.entrypoints.problems import NOT_FOUND_RESPONSE
from services.programs.entrypoints.response_bodies import ApplicationView

C = TypeVar("C", contravariant=True)


class ApplicationUseCase(Protocol[C]):
    """A use case changing one application: its command, the application, today, metadata."""

    def __call__(
        self,
        command: C,
        /,
        *,
        application_id: UUID,
        today: date,
        metadata: EventMetadata,
        applications: Applications,
    ) -> Awaitable[SecondCareerApplication]: ...


async def _answer(
    response: Response, application: SecondCareerApplication, site: str, programs: Programs
) -> ApplicationView:
    """The view with the referral it came from, and its version as the ETag."""
    assert application.submitted_on is not None
    referral = await programs.second_career_referrals.latest(
        application.client_id, site, application.submitted_on
    )
    view = ApplicationView.of(application, site, referral)
    response.headers["ETag"] = f'"{view.version}"'
    return view


async def _apply(
    use_case: ApplicationUseCase[C], command: C, change: Change, response: Response
) -> ApplicationView:
    """Run ``use_case`` on the application the path names and answer with the result."""
    application = await use_case(
        command,
        application_id=change.access.resource_id,
        today=change.today,
        metadata=change.access.metadata,
        applications=change.programs.applications,
    )
    return await _answer(response, application, change.access.site_id, change.programs)


def second_career_router() -> APIRouter:
    """Routes of ``/second-career/applications``."""
    router = APIRouter(
        prefix="/second-career/applications",
        route_class=IdempotentRoute,
        tags=["second career"],
        responses=NOT_FOUND_RESPONSE,
    )

    @router.post("", status_code=201, summary="Submit a Second Career application")
    async def submit(
        command: commands.SubmitApplication,
        principal: ClientLevelPrincipal,
        key: IdempotencyKey,
        correlation_id: CorrelationId,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> ApplicationView:
        """Submit for a registered, eligible client (422 with every finding otherwise)."""
        require_site_access(principal, command.site_id, hide_existence=False)
        application = await use_cases.submit_application(
            command,
            application_id=id_for_idempotency_key(principal.subject, key),
            today=today,
            metadata=metadata_for(principal, correlation_id, command.site_id),
            applications=programs.applications,
            known_clients=programs.known_clients,
            rulebooks=programs.rulebooks,
        )
        response.headers["Location"] = f"/second-career/applications/{application.id}"
        return await _answer(response, application, command.site_id, programs)

    @router.get("/{application_id}", summary="Read a Second Career application")
    async def read(
        access: AccessibleApplication, programs: Collaborators, response: Response
    ) -> ApplicationView:
        """The application with its request, decision, dates and the referral it came from.

        ``referral`` is the client's latest referral out to Second Career that an
        ES plan of this site recorded on or before the submission (null if none).
        """
        application = await use_cases.get_application(
            application_id=access.resource_id, applications=programs.applications
        )
        return await _answer(response, application, access.site_id, programs)

    @router.post("/{application_id}/approval", summary="Approve the application")
    async def approve(
        command: commands.ApproveApplication, change: ApplicationDecision, response: Response
    ) -> ApplicationView:
        """Approve amounts within the request, limits and cap (ministry only)."""
        use_case = partial(use_cases.approve_application, rulebooks=change.programs.rulebooks)
        return await _apply(use_case, command, change, response)

    @router.post("/{application_id}/denial", summary="Deny the application")
    async def deny(
        command: commands.DenyApplication, change: ApplicationDecision, response: Response
    ) -> ApplicationView:
        """Deny with a reason code and an explanation (ministry only)."""
        return await _apply(use_cases.deny_application, command, change, response)

    @router.post("/{application_id}/training-start", summary="Record the training start")
    async def start(
        command: commands.StartTraining, change: ApplicationToChange, response: Response
    ) -> ApplicationView:
        """Record that approved training started."""
        return await _apply(use_cases.start_training, command, change, response)

    @router.post("/{application_id}/completion", summary="Record the training completion")
    async def complete(
        command: commands.CompleteTraining, change: ApplicationToChange, response: Response
    ) -> ApplicationView:
        """Record that the training under way was completed."""
        return await _apply(use_cases.complete_training, command, change, response)

    @router.post("/{application_id}/withdrawal", summary="Withdraw the application")
    async def withdraw(
        command: commands.Withdraw, change: ApplicationToChange, response: Response
    ) -> ApplicationView:
        """Withdraw before a decision, after approval or during training."""
        return await _apply(use_cases.withdraw_application, command, change, response)

    return router
