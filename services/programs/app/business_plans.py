"""ES business plan use cases: submit, revise, review, return, approve, read."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from contracts.envelope import EventMetadata
from services.programs.app.loading import at_version, existing
from services.programs.app.ports import BusinessPlans
from services.programs.app.rulebooks import RuleBookShelf
from services.programs.domain import BusinessPlan, PlanCommitments

WHAT = "business plan"


async def submit_plan(
    *,
    plan_id: UUID,
    site_id: str,
    fiscal_year: str,
    commitments: PlanCommitments,
    submitted_on: date,
    today: date,
    metadata: EventMetadata,
    plans: BusinessPlans,
    rulebooks: RuleBookShelf,
    submitted_at: datetime | None = None,
) -> BusinessPlan:
    """Submit the site's plan for a fiscal year (one per site and year)."""
    plan = BusinessPlan.submit(
        site_id=site_id,
        commitments=commitments,
        submitted_on=submitted_on,
        today=today,
        rulebook=rulebooks.for_year(fiscal_year, submitted_on),
        submitted_at=submitted_at,
    )
    await plans.add(plan_id, plan, metadata)
    return plan


async def revise_plan(
    *,
    plan_id: UUID,
    expected_version: int,
    commitments: PlanCommitments,
    revised_on: date,
    today: date,
    metadata: EventMetadata,
    plans: BusinessPlans,
    rulebooks: RuleBookShelf,
) -> BusinessPlan:
    """Replace the plan's commitments, before approval."""
    plan = at_version(await plans.get(plan_id), WHAT, plan_id, expected_version)
    rulebook = rulebooks.for_year(str(plan.fiscal_year), revised_on)
    plan.revise(commitments, revised_on=revised_on, today=today, rulebook=rulebook)
    await plans.save(plan_id, plan, metadata)
    return plan


async def approve_plan(
    *,
    plan_id: UUID,
    expected_version: int,
    approved_on: date,
    today: date,
    metadata: EventMetadata,
    plans: BusinessPlans,
) -> BusinessPlan:
    """Approve the plan's current commitments, once."""
    plan = at_version(await plans.get(plan_id), WHAT, plan_id, expected_version)
    plan.approve(approved_on=approved_on, today=today)
    await plans.save(plan_id, plan, metadata)
    return plan


async def start_review(
    *,
    plan_id: UUID,
    expected_version: int,
    started_on: date,
    today: date,
    metadata: EventMetadata,
    plans: BusinessPlans,
) -> BusinessPlan:
    """The region's consultant starts reviewing the plan."""
    plan = at_version(await plans.get(plan_id), WHAT, plan_id, expected_version)
    plan.start_review(on=started_on, today=today)
    await plans.save(plan_id, plan, metadata)
    return plan


async def return_plan(
    *,
    plan_id: UUID,
    expected_version: int,
    comments: str,
    returned_on: date,
    today: date,
    metadata: EventMetadata,
    plans: BusinessPlans,
) -> BusinessPlan:
    """The consultant returns the plan for revision, with comments."""
    plan = at_version(await plans.get(plan_id), WHAT, plan_id, expected_version)
    plan.return_for_revision(comments=comments, on=returned_on, today=today)
    await plans.save(plan_id, plan, metadata)
    return plan


async def get_plan(*, plan_id: UUID, plans: BusinessPlans) -> BusinessPlan:
    """The plan as it stands, or ``ResourceMissing``."""
    return existing(await plans.get(plan_id), WHAT, plan_id)
