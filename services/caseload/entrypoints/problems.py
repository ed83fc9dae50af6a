"""The HTTP status of each refusal: 404 absent, 409 conflicts with the state, 422 invalid."""

from __future__ import annotations

from typing import Any

from chassis.http.problem_handlers import DomainErrors
from services.caseload.app.errors import NoRuleBookForDate, PlanNotFound
from services.caseload.domain import errors

DOMAIN_ERRORS: DomainErrors = {
    PlanNotFound: 404,
    errors.PlanNotOpened: 404,
    errors.ClientNotEligible: 422,
    errors.GoalRequired: 422,
    errors.DateInFuture: 422,
    errors.DateOutOfOrder: 422,
    errors.RatingOutOfRange: 422,
    errors.FollowUpOutsideWindow: 422,
    errors.NoFollowUpRules: 422,
    NoRuleBookForDate: 422,
    errors.InvalidMonth: 422,
    errors.InconsistentCounts: 422,
    errors.ActivePlanExists: 409,
    errors.PlanClosed: 409,
    errors.PlanNotClosed: 409,
    errors.PlanItemAlreadyOnPlan: 409,
    errors.ServiceNotOnPlan: 409,
    errors.ServiceAlreadyStarted: 409,
    errors.ServiceNotStarted: 409,
    errors.ServiceAlreadyCompleted: 409,
    errors.SatisfactionAlreadyRecorded: 409,
    errors.FollowUpAlreadyRecorded: 409,
    errors.MonthAlreadyReported: 409,
    errors.MonthNotReported: 409,
    errors.CorrectionChangesNothing: 409,
}
"""Domain and use-case exceptions and the status each is answered with."""

NOT_FOUND_RESPONSE: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No such service plan, or one of a site the caller may not reach.",
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
}
"""The OpenAPI entry of the 404 answer of plan routes."""
