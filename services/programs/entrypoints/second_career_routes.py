"""HTTP routes of ``/second-career/applications``; answers show the ES referral they came from."""

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
from services.programs.app import second_career as use_cases
from services.programs.domain import SecondCareerApplication
from services.programs.entrypoints.dependencies import (
    AccessibleApplication,
    Collaborators,
    Programs,
    Today,
    metadata_for,
    require_decider,
)
from services.programs.entrypoints.problems import NOT_FOUND_RESPONSE
from services.programs.entrypoints.response_bodies import ApplicationView


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
        command: commands.ApproveApplication,
        access: AccessibleApplication,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> ApplicationView:
        """Approve amounts within the request, limits and cap (site manager or admin)."""
        require_decider(access.principal)
        application = await use_cases.approve_application(
            command,
            application_id=access.resource_id,
            today=today,
            metadata=access.metadata,
            applications=programs.applications,
            rulebooks=programs.rulebooks,
        )
        return await _answer(response, application, access.site_id, programs)

    @router.post("/{application_id}/denial", summary="Deny the application")
    async def deny(
        command: commands.DenyApplication,
        access: AccessibleApplication,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> ApplicationView:
        """Deny with a reason code and an explanation (site manager or admin)."""
        require_decider(access.principal)
        application = await use_cases.deny_application(
            command,
            application_id=access.resource_id,
            today=today,
            metadata=access.metadata,
            applications=programs.applications,
        )
        return await _answer(response, application, access.site_id, programs)

    @router.post("/{application_id}/training-start", summary="Record the training start")
    async def start(
        command: commands.StartTraining,
        access: AccessibleApplication,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> ApplicationView:
        """Record that approved training started."""
        application = await use_cases.start_training(
            command,
            application_id=access.resource_id,
            today=today,
            metadata=access.metadata,
            applications=programs.applications,
        )
        return await _answer(response, application, access.site_id, programs)

    @router.post("/{application_id}/completion", summary="Record the training completion")
    async def complete(
        command: commands.CompleteTraining,
        access: AccessibleApplication,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> ApplicationView:
        """Record that the training under way was completed."""
        application = await use_cases.complete_training(
            command,
            application_id=access.resource_id,
            today=today,
            metadata=access.metadata,
            applications=programs.applications,
        )
        return await _answer(response, application, access.site_id, programs)

    @router.post("/{application_id}/withdrawal", summary="Withdraw the application")
    async def withdraw(
        command: commands.Withdraw,
        access: AccessibleApplication,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> ApplicationView:
        """Withdraw before a decision, after approval or during training."""
        application = await use_cases.withdraw_application(
            command,
            application_id=access.resource_id,
            today=today,
            metadata=access.metadata,
            applications=programs.applications,
        )
        return await _answer(response, application, access.site_id, programs)

    return router
