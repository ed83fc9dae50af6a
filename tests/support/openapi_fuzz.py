"""Schemathesis with every check on, business rules told apart from schema violations.

Every built-in check runs, ``positive_data_acceptance`` included. A schema-valid
request may still be refused for a reason no JSON Schema can state: a SIN's
check digit, a date after another field's date, an amount within a rule book's
cap, a client that must be registered and eligible, a resource in the wrong
state (409) or absent (404). Those refusals are business rules, each its own
problem ``type`` (``/problems/<domain-error>``) and documented status.

So positive-data acceptance expects the default statuses (2xx, 3xx, 401, 403,
404, 409, 429) plus 422, and :func:`business_rule_refusals_only` keeps the 422
honest: a schema-valid request answered 422 must carry one of the service's
business-rule problem types, never the request validator's
``/problems/validation-error`` (that would mean the document allowed what the
server refuses: the document lies) nor any other request-level problem.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from schemathesis import Case, CheckContext, Response
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import is_unexpected_http_status_case

from chassis.http.cursors import INVALID_CURSOR
from chassis.http.problem_handlers import DomainErrors, domain_problem_uri
from chassis.http.problems import ProblemType

BUSINESS_RULE_STATUS = 422
ACCEPTED_POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "429", "422"]
"""Schemathesis' defaults but 5xx (never acceptable here), plus business-rule 422s."""


def fuzz_config() -> SchemathesisConfig:
    """Every check on; positive data may meet a documented business-rule refusal."""
    return SchemathesisConfig.from_dict(
        {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_POSITIVE_STATUSES}}}
    )


def business_rule_types(domain_errors: DomainErrors, *extra: ProblemType) -> frozenset[str]:
    """The problem types of a service's 422 refusals that no schema can state.

    Its 422 domain errors, a cursor that is not one the list handed out (only the
    server knows its cursors) and ``extra`` ones a service's routes raise.
    """
    types = {
        domain_problem_uri(error)
        for error, status in domain_errors.items()
        if status == BUSINESS_RULE_STATUS
    }
    return frozenset(types | {INVALID_CURSOR.uri} | {problem.uri for problem in extra})


class SchemaValidRequestRefused(AssertionError):
    """A request the document allows was refused as invalid by the request layer."""


def business_rule_refusals_only(allowed: Iterable[str]):
    """A check: positive cases answered 422 name one of ``allowed`` problem types."""
    allowed_types = frozenset(allowed)

    def check(ctx: CheckContext, response: Response, case: Case) -> bool | None:
        meta = case.meta
        if meta is None or not meta.generation.mode.is_positive:
            return None
        if is_unexpected_http_status_case(case) or response.status_code != BUSINESS_RULE_STATUS:
            return None
        try:
            problem_type = json.loads(response.content).get("type")
        except (ValueError, AttributeError):
            problem_type = None
        if problem_type not in allowed_types:
            raise SchemaValidRequestRefused(
                f"{case.operation.label}: a schema-valid request was refused as "
                f"{problem_type!r}, not a business rule: the OpenAPI document allows what "
                f"the server refuses. Body: {response.content[:500]!r}"
            )
        return None

    check.__name__ = "business_rule_refusals_only"
    return check


def call_and_validate(case: Case, business_rules: Iterable[str], **kwargs: object) -> Response:
    """``case.call_and_validate`` with every check on, and business-rule 422s told apart."""
    return case.call_and_validate(
        additional_checks=[business_rule_refusals_only(business_rules)], **kwargs
    )
