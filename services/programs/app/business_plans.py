"""ES business plan use cases: submit, revise, review, return, approve, read."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from contracts.envelope import EventMetadata
from contracts.rulebook import RuleBookShelf
from services.programs.app import commands
from services.programs.app.loading import at_version, existing
from services.programs.app.ports import BusinessPlans
from services.programs.domain import BusinessPlan

WHAT = "business plan"


async def submit_plan(
    command: commands.SubmitBusinessPlan,
    *,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: BusinessPlans,
    rulebooks: RuleBookShelf,
) -> BusinessPlan:
    """Submit the site's plan for a fiscal year (one per site and year)."""
    plan = BusinessPlan.submit(
        site_id=command.site_id,
        commitments=command.commitments.to_domain(),
        submitted_on=command.submitted_on,
        today=today,
        rulebook=rulebooks.for_year(command.fiscal_year, command.submitted_on),
        submitted_at=command.submitted_at,
    )
    await plans.add(plan_id, plan, metadata)
    return plan


async def revise_plan(
    command: commands.ReviseBusinessPlan,
    *,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: BusinessPlans,
    rulebooks: RuleBookShelf,
) -> BusinessPlan:
    """Replace the plan's commitments, before approval."""
    plan = at_version(await plans.get(plan_id), WHAT, plan_id, command.expected_version)
    rulebook = rulebooks.for_year(str(plan.fiscal_year), command.revised_on)
    plan.revise(
        command.commitments.to_domain(),
        revised_on=command.revised_on,
        today=today,
        rulebook=rulebook,
    )
    await plans.save(plan_id, plan, metadata)
    return plan


async def approve_plan(
    command: commands.ApproveBusinessPlan,
    *,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: BusinessPlans,
) -> BusinessPlan:
    """Approve the plan's current commitments, once."""
    plan = at_version(await plans.get(plan_id), WHAT, plan_id, command.expected_version)
    plan.approve(approved_on=command.approved_on, today=today)
    await plans.save(plan_id, plan, metadata)
    return plan


async def start_review(
    command: commands.ReviewBusinessPlan,
    *,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: BusinessPlans,
) -> BusinessPlan:
    """The region's consultant starts reviewing the plan."""
    plan = at_version(await plans.get(plan_id), WHAT, plan_id, command.expected_version)
    plan.start_review(on=command.review_started_on, today=today)
    await plans.save(plan_id, plan, metadata)
    return plan


async def return_plan(
    command: commands.ReturnBusinessPlan,
    *,
    plan_id: UUID,
    today: date,
    metadata: EventMetadata,
    plans: BusinessPlans,
) -> BusinessPlan:
    """The consultant returns the plan for revision, with comments."""
    plan = at_version(await plans.get(plan_id), WHAT, plan_id, command.expected_version)
    plan.return_for_revision(comments=command.comments, on=command.returned_on, today=today)
    await plans.save(plan_id, plan, metadata)
    return plan


async def get_plan(*, plan_id: UUID, plans: BusinessPlans) -> BusinessPlan:
    """The plan as it stands, or ``ResourceMissing``."""
    return existing(await plans.get(plan_id), WHAT, plan_id)
