"""Schemathesis against reporting's OpenAPI, once per role: no 5xx, nothing outside the schema.

A real server (uvicorn in a thread, SQLite, three sites from a YAML file, no
broker) answers cases generated from the document, positive and negative,
for a caseworker and a site manager of site A and a ministry analyst, with
every check on, positive-data acceptance included (see
:mod:`tests.support.openapi_fuzz`).
Positive cases are steered half the time towards a known fiscal year, a
period and site A, so that 2xx responses are checked against the schema too.

``EOCMS_FUZZ_EXAMPLES`` sets hypothesis' examples per operation and role
(default 80); schemathesis' phases run more cases than that: over 1,000 per
role, asserted below.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from chassis.http import AuthSettings, Role, mint_dev_token
from services.reporting.bootstrap import create_app
from services.reporting.entrypoints.dependencies import INVALID_REPORT_QUERY
from services.reporting.settings import ReportingSettings
from tests.integration.intake.live_server import serve
from tests.support.openapi_fuzz import business_rule_types, call_and_validate, fuzz_config

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = int(os.environ.get("EOCMS_FUZZ_EXAMPLES", "80"))
MINIMUM_CASES = 1000
BUSINESS_RULES = business_rule_types({}, INVALID_REPORT_QUERY)
"""The 422s a schema-valid query may meet: parameters no schema can relate."""
ROLES = (Role.CASEWORKER, Role.SITE_MANAGER, Role.MINISTRY_ANALYST)
AUTH = AuthSettings()
SITES_YAML = """
- {site_id: A, provider_id: P1, region: east}
- {site_id: B, provider_id: P1, region: east}
- {site_id: C, provider_id: P2, region: west}
"""

calls: dict[Role, list[int]] = {role: [] for role in ROLES}
"""The status of every fuzz case answered, per role."""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir: Path = tmp_path_factory.mktemp("reporting-fuzz")
    sites = data_dir / "sites.yaml"
    sites.write_text(SITES_YAML)
    app = create_app(ReportingSettings(data_dir=data_dir, sites_file=sites), auth=AUTH)
    with serve(app) as url:
        yield url


@pytest.fixture(scope="module", params=ROLES, ids=[role.value for role in ROLES])
def role(request: pytest.FixtureRequest) -> Role:
    return request.param


@pytest.fixture(scope="module")
def caller(role: Role) -> str:
    return mint_dev_token(AUTH, subject=f"fuzzer-{role.value}", roles=(role,), site_ids=("A",))


def _document() -> dict[str, object]:
    app = create_app(ReportingSettings(database_url="sqlite+aiosqlite:///:memory:"), auth=AUTH)
    return app.openapi()


schema = schemathesis.openapi.from_dict(_document(), config=fuzz_config())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_no_schema_violations(
    case: schemathesis.Case, base_url: str, role: Role, caller: str
) -> None:
    negative = bool(case.meta and case.meta.generation.mode.is_negative)
    if not negative and len(calls[role]) % 2 == 0 and case.query is not None:
        case.query.update({"fiscal_year": "2012-13", "period": "q1"})
        if "site_id" in case.query:
            case.query["site_id"] = "A"
    # Rules across parameters no schema states (an as-of date inside the fiscal year,
    # a month of that year, a year with a rule book) may refuse a schema-valid query:
    # as /problems/invalid-report-query, never as a validation error.
    response = call_and_validate(
        case,
        BUSINESS_RULES,
        base_url=base_url,
        headers={"Authorization": f"Bearer {caller}"},
    )
    calls[role].append(response.status_code)


@pytest.mark.parametrize("role", ROLES, ids=[role.value for role in ROLES])
def test_the_fuzz_run_generated_enough_cases_per_role(role: Role) -> None:
    statuses = calls[role]
    print(f"{role.value}: {len(statuses)} fuzz cases")  # visible with -s: the numbers run
    assert len(statuses) >= MINIMUM_CASES, f"only {len(statuses)} cases ran as {role}"
    assert any(200 <= status < 300 for status in statuses)
