"""The fuzz runs' positive-data check tells a business rule from a lying schema.

Two routes refuse the same schema-valid input (a code that is not all digits)
with a 422: one as a business rule of its own problem type, one as the request
validator's ``/problems/validation-error``, as it would if the document left
out a pattern the server enforces; a third answers 400. Schemathesis,
configured as the services' fuzz runs are, passes the first only.
"""

from __future__ import annotations

from typing import Annotated

import pytest
import schemathesis
from fastapi import FastAPI, Query
from hypothesis import HealthCheck, given, settings
from schemathesis.core.failures import FailureGroup

from chassis.http.problem_handlers import install_problem_handlers
from chassis.http.problems import VALIDATION_ERROR, ProblemException, ProblemType
from tests.support.openapi_fuzz import business_rule_types, call_and_validate, fuzz_config

Code = Annotated[str, Query(max_length=8)]
BAD_CODE = ProblemType("/problems/bad-code", "Bad code", 400)


class CodeNotOnFile(Exception):
    """The code is not one the rule book lists."""


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app, {CodeNotOnFile: 422})

    @app.get("/rule", responses={422: {"description": "A business rule refused it."}})
    async def rule(code: Code) -> dict[str, str]:
        if not code.isdigit():
            raise CodeNotOnFile(code)
        return {"code": code}

    @app.get("/lying", responses={422: {"description": "Invalid."}})
    async def lying(code: Code) -> dict[str, str]:
        if not code.isdigit():  # a pattern the document does not state
            raise ProblemException(VALIDATION_ERROR, "code must be digits")
        return {"code": code}

    @app.get("/bad-request", responses={400: {"description": "Bad request."}})
    async def bad_request(code: Code) -> dict[str, str]:
        if not code.isdigit():
            raise ProblemException(BAD_CODE, "code must be digits")
        return {"code": code}

    return app


APP = _app()
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP, config=fuzz_config())
RULES = business_rule_types({CodeNotOnFile: 422})


def _fuzz(path: str) -> None:
    @given(case=SCHEMA[path]["GET"].as_strategy())
    @settings(
        max_examples=20, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
    )
    def run(case: schemathesis.Case) -> None:
        call_and_validate(case, RULES)

    run()


def test_a_business_rule_refusing_schema_valid_input_passes_every_check() -> None:
    _fuzz("/rule")


def test_a_validation_error_on_schema_valid_input_fails_the_run() -> None:
    with pytest.raises(FailureGroup, match="business_rule_refusals_only"):
        _fuzz("/lying")


def test_positive_data_acceptance_is_on_for_statuses_other_than_422() -> None:
    with pytest.raises(FailureGroup, match="Schema-valid request rejected"):
        _fuzz("/bad-request")
