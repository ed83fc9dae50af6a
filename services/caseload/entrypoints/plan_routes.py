"""Routes of ``/service-plans`` (site R&I reports: :mod:`.site_report_routes`).

Every command needs an ``Idempotency-Key``; commands on a plan carry the
``expected_version`` the caller read and get 409 when it is stale. Plans of
sites the caller may not reach answer 404, like plans that do not exist;
ministry analysts get 403 on client-level routes.
"""

from __future__ import annotations

from functools import partial
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
from services.caseload.app import commands
from services.caseload.app.closing import close_plan, record_follow_up, record_satisfaction
from services.caseload.app.opening import open_plan
from services.caseload.app.plan_updates import (
    add_item,
    complete_service,
    record_referral,
    start_service,
)
from services.caseload.app.queries import get_plan
from services.caseload.domain import ServicePlan
from services.caseload.entrypoints.client_arrival import UNKNOWN_CLIENT_RESPONSE
from services.caseload.entrypoints.dependencies import (
    AccessiblePlan,
    Collaborators,
    PlanToChange,
    Today,
    metadata_for,
)
from services.caseload.entrypoints.problems import NOT_FOUND_RESPONSE
from services.caseload.entrypoints.response_bodies import PlanView

Component = Annotated[PlanComponent, Path(description="The plan item's ES component.")]


def _answer(response: Response, plan: ServicePlan) -> PlanView:
    view = PlanView.of(plan)
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
            command,
            plan_id=id_for_idempotency_key(principal.subject, key),
            today=today,
            metadata=metadata_for(principal, correlation_id, command.site_id),
            plans=caseload.plans,
            known_clients=caseload.known_clients,
            active_plans=caseload.active_plans,
        )
        response.headers["Location"] = f"/service-plans/{plan.header.plan_id}"
        return _answer(response, plan)

    @router.get("/{plan_id}", summary="Read a service plan")
    async def read_service_plan(
        access: AccessiblePlan, caseload: Collaborators, response: Response
    ) -> PlanView:
        """The plan with its items, referrals, exit, rating and follow-ups."""
        return _answer(response, await get_plan(plan_id=access.plan_id, plans=caseload.plans))

    @router.post("/{plan_id}/items", summary="Add a plan item")
    async def add_plan_item(
        command: commands.AddItem, plan: PlanToChange, response: Response
    ) -> PlanView:
        """Add an item for an ES component not yet on the plan (409 on a closed plan).

        With `started_on`, its service starts in the same command (one new version each).
        """
        return _answer(response, await plan.apply(add_item, command))

    @router.post("/{plan_id}/services/{component}/start", summary="Start a service")
    async def start_plan_service(
        component: Component, command: commands.StartService, plan: PlanToChange, response: Response
    ) -> PlanView:
        """Start the service of a plan item, once."""
        use_case = partial(start_service, component=component)
        return _answer(response, await plan.apply(use_case, command))

    @router.post("/{plan_id}/services/{component}/complete", summary="Complete a service")
    async def complete_plan_service(
        component: Component,
        command: commands.CompleteService,
        plan: PlanToChange,
        response: Response,
    ) -> PlanView:
        """Complete a started service, once."""
        use_case = partial(complete_service, component=component)
        return _answer(response, await plan.apply(use_case, command))

    @router.post("/{plan_id}/referrals", summary="Record a referral")
    async def record_plan_referral(
        command: commands.RecordReferral, plan: PlanToChange, response: Response
    ) -> PlanView:
        """Record a referral in (may predate the plan) or out."""
        return _answer(response, await plan.apply(record_referral, command))

    @router.post("/{plan_id}/closure", summary="Close the plan at exit")
    async def close_service_plan(
        command: commands.ClosePlan, plan: PlanToChange, response: Response
    ) -> PlanView:
        """Close the plan with the exit date and outcome; frees the client's place."""
        return _answer(response, await plan.apply(close_plan, command))

    @router.post("/{plan_id}/satisfaction", summary="Record the satisfaction rating")
    async def record_plan_satisfaction(
        command: commands.RecordSatisfaction, plan: PlanToChange, response: Response
    ) -> PlanView:
        """Record the client's 1-5 rating, once, after exit."""
        return _answer(response, await plan.apply(record_satisfaction, command))

    @router.post("/{plan_id}/follow-ups", summary="Record a follow-up")
    async def record_plan_follow_up(
        command: commands.RecordFollowUp, plan: PlanToChange, response: Response
    ) -> PlanView:
        """Record a 3-, 6- or 12-month follow-up, once each, inside its window (422 outside)."""
        use_case = partial(record_follow_up, rulebooks=plan.collaborators.rulebooks)
        return _answer(response, await plan.apply(use_case, command))

    return router
