"""HTTP routes of ``/business-plans``: a site's ES business plan per fiscal year."""

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
from services.programs.app import business_plans as use_cases
from services.programs.app import commands
from services.programs.domain import BusinessPlan
from services.programs.entrypoints.dependencies import (
    AccessibleBusinessPlan,
    Collaborators,
    Programs,
    Today,
    metadata_for,
    require_decider,
)
from services.programs.entrypoints.problems import NOT_FOUND_RESPONSE
from services.programs.entrypoints.response_bodies import BusinessPlanView


def _answer(
    response: Response, plan_id: UUID, plan: BusinessPlan, programs: Programs
) -> BusinessPlanView:
    rules = programs.rulebooks.for_year(str(plan.fiscal_year), programs.clock()).programs
    calendar = None if rules is None else rules.business_plans.calendar
    view = BusinessPlanView.of(plan_id, plan, calendar)
    response.headers["ETag"] = f'"{view.version}"'
    return view


def business_plans_router() -> APIRouter:
    """Routes of ``/business-plans``."""
    router = APIRouter(
        prefix="/business-plans",
        route_class=IdempotentRoute,
        tags=["business plans"],
        responses=NOT_FOUND_RESPONSE,
    )

    @router.post("", status_code=201, summary="Submit a business plan")
    async def submit(
        command: commands.SubmitBusinessPlan,
        principal: ClientLevelPrincipal,
        key: IdempotencyKey,
        correlation_id: CorrelationId,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> BusinessPlanView:
        """Submit the site's plan for a fiscal year; 409 if the site already has one."""
        require_site_access(principal, command.site_id, hide_existence=False)
        plan_id = id_for_idempotency_key(principal.subject, key)
        plan = await use_cases.submit_plan(
            command,
            plan_id=plan_id,
            today=today,
            metadata=metadata_for(principal, correlation_id, command.site_id),
            plans=programs.business_plans,
            rulebooks=programs.rulebooks,
        )
        response.headers["Location"] = f"/business-plans/{plan_id}"
        return _answer(response, plan_id, plan, programs)

    @router.get("/{plan_id}", summary="Read a business plan")
    async def read(
        access: AccessibleBusinessPlan, programs: Collaborators, response: Response
    ) -> BusinessPlanView:
        """The plan's current commitments, revision and status."""
        plan = await use_cases.get_plan(plan_id=access.resource_id, plans=programs.business_plans)
        return _answer(response, access.resource_id, plan, programs)

    @router.post("/{plan_id}/revisions", summary="Revise a business plan")
    async def revise(
        command: commands.ReviseBusinessPlan,
        access: AccessibleBusinessPlan,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> BusinessPlanView:
        """Replace the commitments whole, before approval (409 once approved)."""
        plan = await use_cases.revise_plan(
            command,
            plan_id=access.resource_id,
            today=today,
            metadata=access.metadata,
            plans=programs.business_plans,
            rulebooks=programs.rulebooks,
        )
        return _answer(response, access.resource_id, plan, programs)

    @router.post("/{plan_id}/review", summary="Start the ministry's review of a business plan")
    async def review(
        command: commands.ReviewBusinessPlan,
        access: AccessibleBusinessPlan,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> BusinessPlanView:
        """The region's Employment and Training Consultant starts reviewing (ministry only)."""
        require_decider(access.principal)
        plan = await use_cases.start_review(
            command,
            plan_id=access.resource_id,
            today=today,
            metadata=access.metadata,
            plans=programs.business_plans,
        )
        return _answer(response, access.resource_id, plan, programs)

    @router.post("/{plan_id}/return", summary="Return a business plan for revision")
    async def return_for_revision(
        command: commands.ReturnBusinessPlan,
        access: AccessibleBusinessPlan,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> BusinessPlanView:
        """Return the plan to the provider with comments (ministry only)."""
        require_decider(access.principal)
        plan = await use_cases.return_plan(
            command,
            plan_id=access.resource_id,
            today=today,
            metadata=access.metadata,
            plans=programs.business_plans,
        )
        return _answer(response, access.resource_id, plan, programs)

    @router.post("/{plan_id}/approval", summary="Approve a business plan")
    async def approve(
        command: commands.ApproveBusinessPlan,
        access: AccessibleBusinessPlan,
        programs: Collaborators,
        today: Today,
        response: Response,
    ) -> BusinessPlanView:
        """Approve the current commitments, once (ministry only: a site manager is 403)."""
        require_decider(access.principal)
        plan = await use_cases.approve_plan(
            command,
            plan_id=access.resource_id,
            today=today,
            metadata=access.metadata,
            plans=programs.business_plans,
        )
        return _answer(response, access.resource_id, plan, programs)

    return router
