"""The HTTP status of each refusal: 404 absent, 409 conflicts with the state, 422 invalid."""

from __future__ import annotations

from typing import Any

from chassis.http.problem_handlers import DomainErrors
from services.programs.app.errors import BusinessPlanExists, NoRuleBookForDate, ResourceMissing
from services.programs.domain import errors
from services.programs.domain import participation_errors as refusals

DOMAIN_ERRORS: DomainErrors = {
    ResourceMissing: 404,
    errors.NotStarted: 404,
    BusinessPlanExists: 409,
    errors.InvalidTransition: 409,
    refusals.AlreadyPlaced: 409,
    refusals.NotPlaced: 409,
    refusals.ParticipationAlreadyCompleted: 409,
    refusals.BusinessPlanApprovedAlready: 409,
    NoRuleBookForDate: 422,
    errors.UnknownClient: 422,
    errors.NoProgramRules: 422,
    errors.WrongRuleBook: 422,
    errors.ClientNotEligible: 422,
    errors.TrainingLengthOutOfRange: 422,
    errors.AcademicUpgradingTooLong: 422,
    errors.UnknownCostCategory: 422,
    errors.NegativeAmount: 422,
    errors.NoCostsRequested: 422,
    errors.ApprovedMoreThanRequested: 422,
    errors.CategoryLimitExceeded: 422,
    errors.FundingCapExceeded: 422,
    errors.ExplanationRequired: 422,
    errors.DateInFuture: 422,
    errors.DateOutOfOrder: 422,
    refusals.ProjectTooLong: 422,
    refusals.OutsideProjectDates: 422,
    refusals.ParticipationTooLong: 422,
    refusals.NoWeeksPlanned: 422,
    refusals.NoSelfEmploymentPlan: 422,
    refusals.UnknownMeasures: 422,
    refusals.MissingCommitments: 422,
    refusals.PercentOutOfRange: 422,
    refusals.NegativeCount: 422,
    refusals.ContinuousImprovementRequired: 422,
}
"""Use-case and domain exceptions and the status each is answered with."""

NOT_FOUND_RESPONSE: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No such resource, or one of a site the caller may not reach.",
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
}
"""The OpenAPI entry of the 404 answer of routes on one resource."""
