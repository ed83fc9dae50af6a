"""Caseload's HTTP API for service plans (site R&I reports: :mod:`.site_reports`).

Every command needs an ``Idempotency-Key``; commands on a plan carry the
``expected_version`` the caller read and get 409 when it is stale. Plans of
sites the caller may not reach answer 404, like plans that do not exist;
ministry analysts get 403 on client-level routes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from chassis.http import (
    ClientLevelPrincipal,
    CorrelationId,
    IdempotencyKey,
    IdempotentRoute,
    id_for_idempotency_key,
    require_site_access,
)
from contracts.caseload import PlanComponent
from services.caseload.app.exit_commands import close_plan, record_follow_up, record_satisfaction
from services.caseload.app.opening import open_plan
from services.caseload.app.plan_commands import (
    add_item,
    complete_service,
    record_referral,
    start_service,
)
from services.caseload.app.queries import get_plan
from services.caseload.entrypoints import commands
from services.caseload.entrypoints.client_arrival import UNKNOWN_CLIENT_RESPONSE
from services.caseload.entrypoints.dependencies import (
    AccessiblePlan,
    Collaborators,
    Today,
    metadata_for,
)
from services.caseload.entrypoints.lists import lists_router
from services.caseload.entrypoints.problems import NOT_FOUND_RESPONSE
from services.caseload.entrypoints.site_reports import sites_router
from services.caseload.entrypoints.views import PlanView

Component = Annotated[PlanComponent, Path(description="The plan item's ES component.")]


def _answer(response: Response, view: PlanView) -> PlanView:
    response.headers["ETag"] = f'"{view.version}"'
    return view


def plans_router() -> APIRouter:
    """Routes of ``/service-plans``."""
    router = APIRouter(
        prefix="/service-plans",
        route_class=IdempotentRoute,
        tags=["service plans"],
        responses=NOT_FOUND_RESPONSE,
    )

    @router.post(
        "", status_code=201, summary="Open a service plan", responses=UNKNOWN_CLIENT_RESPONSE
    )
    async def open_service_plan(
        command: commands.OpenPlan,
        principal: ClientLevelPrincipal,
        key: IdempotencyKey,
        correlation_id: CorrelationId,
        caseload: Collaborators,
        today: Today,
        response: Response,
    ) -> PlanView:
        """Open an ES plan (with its CSPC item) for a registered, eligible client.

        422 for an unknown or ineligible client; 409 if the client already has
        an active plan at the site. The plan id derives from the idempotency key.
        """
        require_site_access(principal, command.site_id, hide_existence=False)
        plan = await open_plan(
            plan_id=id_for_idempotency_key(principal.subject, key),
            client_id=command.client_id,
            site_id=command.site_id,
            goal=command.goal,
            opened_on=command.opened_on,
            referred_in_from=command.referred_in_from,
            self_employment=command.self_employment,
            today=today,
            metadata=metadata_for(principal, correlation_id, command.site_id),
            plans=caseload.plans,
            known_clients=caseload.known_clients,
            active_plans=caseload.active_plans,
        )
        response.headers["Location"] = f"/service-plans/{plan.header.plan_id}"
        return _answer(response, PlanView.of(plan))

    @router.get("/{plan_id}", summary="Read a service plan")
    async def read_service_plan(
        access: AccessiblePlan, caseload: Collaborators, response: Response
    ) -> PlanView:
        """The plan with its items, referrals, exit, rating and follow-ups."""
        plan = await get_plan(plan_id=access.plan_id, plans=caseload.plans)
        return _answer(response, PlanView.of(plan))

    @router.post("/{plan_id}/items", summary="Add a plan item")
    async def add_plan_item(
        command: commands.AddItem,
        access: AccessiblePlan,
        caseload: Collaborators,
        today: Today,
        response: Response,
    ) -> PlanView:
        """Add an item for an ES component not yet on the plan (409 on a closed plan).

        With `started_on`, its service starts in the same command (one new version each).
        """
        plan = await add_item(
            plan_id=access.plan_id,
            expected_version=command.expected_version,
            component=command.component,
            added_on=command.added_on,
            sub_goal=command.sub_goal,
            self_employment=command.self_employment,
            started_on=command.started_on,
            today=today,
            metadata=access.metadata,
            plans=caseload.plans,
        )
        return _answer(response, PlanView.of(plan))

    @router.post("/{plan_id}/services/{component}/start", summary="Start a service")
    async def start_plan_service(
        component: Component,
        command: commands.StartService,
        access: AccessiblePlan,
        caseload: Collaborators,
        today: Today,
        response: Response,
    ) -> PlanView:
        """Start the service of a plan item, once."""
        plan = await start_service(
            plan_id=access.plan_id,
            expected_version=command.expected_version,
            component=component,
            started_on=command.started_on,
            today=today,
            metadata=access.metadata,
            plans=caseload.plans,
        )
        return _answer(response, PlanView.of(plan))

    @router.post("/{plan_id}/services/{component}/complete", summary="Complete a service")
    async def complete_plan_service(
        component: Component,
        command: commands.CompleteService,
        access: AccessiblePlan,
        caseload: Collaborators,
        today: Today,
        response: Response,
    ) -> PlanView:
        """Complete a started service, once."""
        plan = await complete_service(
            plan_id=access.plan_id,
            expected_version=command.expected_version,
            component=component,
            completed_on=command.completed_on,
            today=today,
            metadata=access.metadata,
            plans=caseload.plans,
        )
        return _answer(response, PlanView.of(plan))

    @router.post("/{plan_id}/referrals", summary="Record a referral")
    async def record_plan_referral(
        command: commands.RecordReferral,
        access: AccessiblePlan,
        caseload: Collaborators,
        today: Today,
        response: Response,
    ) -> PlanView:
        """Record a referral in (may predate the plan) or out."""
        plan = await record_referral(
            plan_id=access.plan_id,
            expected_version=command.expected_version,
            direction=command.direction,
            category=command.category,
            referred_on=command.referred_on,
            today=today,
            metadata=access.metadata,
            plans=caseload.plans,
        )
        return _answer(response, PlanView.of(plan))

    @router.post("/{plan_id}/closure", summary="Close the plan at exit")
    async def close_service_plan(
        command: commands.ClosePlan,
        access: AccessiblePlan,
        caseload: Collaborators,
        today: Today,
        response: Response,
    ) -> PlanView:
        """Close the plan with the exit date and outcome; frees the client's place."""
        plan = await close_plan(
            plan_id=access.plan_id,
            expected_version=command.expected_version,
            exit_date=command.exit_date,
            outcome=command.outcome,
            today=today,
            metadata=access.metadata,
            plans=caseload.plans,
        )
        return _answer(response, PlanView.of(plan))

    @router.post("/{plan_id}/satisfaction", summary="Record the satisfaction rating")
    async def record_plan_satisfaction(
        command: commands.RecordSatisfaction,
        access: AccessiblePlan,
        caseload: Collaborators,
        today: Today,
        response: Response,
    ) -> PlanView:
        """Record the client's 1-5 rating, once, after exit."""
        plan = await record_satisfaction(
            plan_id=access.plan_id,
            expected_version=command.expected_version,
            rating=command.rating,
            recorded_on=command.recorded_on,
            today=today,
            metadata=access.metadata,
            plans=caseload.plans,
        )
        return _answer(response, PlanView.of(plan))

    @router.post("/{plan_id}/follow-ups", summary="Record a follow-up")
    async def record_plan_follow_up(
        command: commands.RecordFollowUp,
        access: AccessiblePlan,
        caseload: Collaborators,
        today: Today,
        response: Response,
    ) -> PlanView:
        """Record a 3-, 6- or 12-month follow-up, once each, inside its window (422 outside)."""
        plan = await record_follow_up(
            plan_id=access.plan_id,
            expected_version=command.expected_version,
            checkpoint=command.checkpoint,
            outcome=command.outcome,
            recorded_on=command.recorded_on,
            today=today,
            metadata=access.metadata,
            plans=caseload.plans,
        )
        return _answer(response, PlanView.of(plan))

    return router


def routers() -> list[APIRouter]:
    """Every router of caseload's API."""
    return [plans_router(), sites_router(), lists_router()]
