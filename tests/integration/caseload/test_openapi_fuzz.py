"""Schemathesis fuzzes caseload's OpenAPI: no 5xx, no response outside the documented schema.

Hundreds of generated requests per role go to a real server (uvicorn in a
thread; schemathesis' lazy ``from_fixture`` loader does not work with pytest
9, which dropped ``Node._nodeid``), with every check on, positive-data
acceptance included: a schema-valid request may only be refused by a business
rule, a documented 404 or 409, never by request validation
(:mod:`tests.support.openapi_fuzz`). Each carries the role's token and a fresh
Idempotency-Key. The database (a SQLite file) holds a known
eligible client (the schema's example ``client_id``) and one open plan; plan
routes are pointed at that plan, so generated bodies reach the domain rules
instead of stopping at 404.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from chassis.clock import fixed_clock
from chassis.database import create_engine
from contracts.envelope import EventMetadata
from services.caseload.adapters.plan_repository import ServicePlanRepository
from services.caseload.app.commands import EXAMPLE_CLIENT
from services.caseload.bootstrap import create_app
from services.caseload.domain import ServicePlan
from services.caseload.entrypoints.problems import DOMAIN_ERRORS
from services.caseload.settings import CaseloadSettings
from tests.integration.caseload.service import AUTH, TODAY, Caseload, token
from tests.integration.intake.live_server import serve
from tests.support.openapi_fuzz import business_rule_types, call_and_validate, fuzz_config

CALLERS = {
    "caseworker": token("caseworker-1", "caseworker", "S001"),
    "site_manager": token("manager-1", "site_manager", "S001"),
    "ministry_analyst": token("analyst-1", "ministry_analyst"),
}
"""One fuzz run per role; the caseworker's run must reach every operation's rules."""
SEEDED_PLAN = uuid.UUID("5d1c3e9a-8f0b-4c1e-9a63-2b7f0c4d5e6f")
"""Path characters that need no percent-encoding (RFC 3986 pchar without pct-encoded)."""
CASES_PER_OPERATION = int(os.environ.get("EOCMS_FUZZ_EXAMPLES", "30"))
MINIMUM_CASES = 1000
"""Per role: the bound the security review asks for."""
BUSINESS_RULES = business_rule_types(DOMAIN_ERRORS)
"""The 422s a schema-valid request may meet: rules no schema can state."""

calls: dict[str, list[tuple[str, int]]] = {role: [] for role in CALLERS}
"""(operation, status) of every case run, for the count check."""


def _seed(url: str) -> None:
    """A known eligible client (the example one) and an open plan for another client."""

    async def seed() -> None:
        caseload = Caseload(app=None, http=None, url=url)  # type: ignore[arg-type]
        example = uuid.UUID(EXAMPLE_CLIENT)
        await caseload.register_known(example)
        other = await caseload.register()
        engine = create_engine(url)
        try:
            plan = ServicePlan.open(
                plan_id=SEEDED_PLAN,
                client_id=other,
                site_id="S001",
                goal="Find work",
                opened_on=date(2012, 5, 2),
                today=TODAY,
            )
            metadata = EventMetadata(correlation_id=uuid.uuid4(), actor="seed", site_id="S001")
            await ServicePlanRepository(engine).add(plan, metadata)
        finally:
            await engine.dispose()

    # Sync fixture, async seeding: its own loop, in its own thread.
    thread = threading.Thread(target=asyncio.run, args=(seed(),))
    thread.start()
    thread.join()


def _document() -> dict[str, Any]:
    """The OpenAPI document (building it touches no database)."""
    app = create_app(CaseloadSettings(database_url="sqlite+aiosqlite:///:memory:"), auth=AUTH)
    return app.openapi()


schema = schemathesis.openapi.from_dict(_document(), config=fuzz_config())


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Caseload on a seeded SQLite file, its lifespan running in the client's portal."""
    url = f"sqlite+aiosqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'caseload.db'}"
    app = create_app(CaseloadSettings(database_url=url), auth=AUTH, clock=fixed_clock(TODAY))
    with serve(app) as base_url:
        _seed(url)
        yield base_url


@pytest.fixture(scope="module", params=list(CALLERS))
def role(request: pytest.FixtureRequest) -> str:
    return request.param


@schema.parametrize()
@settings(
    max_examples=CASES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_documented_schema(
    case: schemathesis.Case, service: str, role: str
) -> None:
    negative = bool(case.meta and case.meta.generation.mode.is_negative)
    if "plan_id" in (case.path_parameters or {}) and not negative:
        case.path_parameters["plan_id"] = str(SEEDED_PLAN)
    headers = {"Authorization": f"Bearer {CALLERS[role]}"}
    if case.method.upper() != "GET" and not negative:
        headers["Idempotency-Key"] = str(uuid.uuid4())  # fresh: no accidental replay
    # Business rules no schema can state (dates in order, an eligible client, a
    # rating within the rule book's scale) may refuse a schema-valid body: as a 422
    # of their own problem type (BUSINESS_RULES), never as a validation error.
    response = call_and_validate(case, BUSINESS_RULES, base_url=service, headers=headers)
    calls[role].append((case.operation.label, response.status_code))


def test_the_fuzzing_ran_enough_cases_on_every_caseload_operation() -> None:
    for role, answered in calls.items():
        print(f"{role}: {len(answered)} fuzz cases")  # visible with -s: the numbers run
        assert len(answered) >= MINIMUM_CASES, f"only {len(answered)} cases ran as {role}"
    caseload_calls = [(op, status) for op, status in calls["caseworker"] if "/health/" not in op]
    assert len(caseload_calls) >= MINIMUM_CASES, f"only {len(caseload_calls)} cases ran"
    assert len({op for op, _ in caseload_calls}) == 15  # 10 commands and reads, 5 lists
    assert any(200 <= status < 300 for _, status in caseload_calls)
