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
from services.programs.app import second_career as use_cases
from services.programs.domain import SecondCareerApplication, SecondCareerFacts, TrainingRequest
from services.programs.entrypoints import commands
from services.programs.entrypoints.dependencies import (
    AccessibleApplication,
    Collaborators,
    Programs,
    Today,
    metadata_for,
    require_decider,
)
from services.programs.entrypoints.problems import NOT_FOUND_RESPONSE
from services.programs.entrypoints.views import ApplicationView


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
        facts = command.facts
        application = await use_cases.submit_application(
            application_id=id_for_idempotency_key(principal.subject, key),
            client_id=command.client_id,
            site_id=command.site_id,
            request=TrainingRequest(
                command.training_program,
                command.occupation,
                command.noc_code,
                command.training_weeks,
                command.academic_upgrading_weeks,
            ),
            requested_costs=command.requested_costs_cents,
            facts=SecondCareerFacts(
                facts.laid_off,
                facts.laid_off_on,
                facts.hours_worked_per_week,
                facts.ontario_resident,
                facts.legal_status,
                facts.occupation_in_demand,
            ),
            submitted_on=command.submitted_on,
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
        """Approve amounts within the request, limits and cap (ministry only)."""
        require_decider(access.principal)
        application = await use_cases.approve_application(
            application_id=access.resource_id,
            expected_version=command.expected_version,
            approved_costs=command.approved_costs_cents,
            approved_on=command.approved_on,
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
        """Deny with a reason code and an explanation (ministry only)."""
        require_decider(access.principal)
        application = await use_cases.deny_application(
            application_id=access.resource_id,
            expected_version=command.expected_version,
            reason=command.reason,
            explanation=command.explanation,
            denied_on=command.denied_on,
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
            application_id=access.resource_id,
            expected_version=command.expected_version,
            started_on=command.started_on,
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
            application_id=access.resource_id,
            expected_version=command.expected_version,
            completed_on=command.completed_on,
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
            application_id=access.resource_id,
            expected_version=command.expected_version,
            withdrawn_on=command.withdrawn_on,
            today=today,
            metadata=access.metadata,
            applications=programs.applications,
        )
        return await _answer(response, application, access.site_id, programs)

    return router
