"""Schemathesis fuzzes programs' OpenAPI: no 5xx, no response outside the documented schema.

Hundreds of generated requests per role go to a real server (uvicorn in a
thread; schemathesis' lazy ``from_fixture`` loader does not work with pytest
9, which dropped ``Node._nodeid``), with every check on, positive-data
acceptance included: a schema-valid request may only be refused by a business
rule, a documented 404 or 409, never by request validation
(:mod:`tests.support.openapi_fuzz`). Each carries the role's token (the admin's
run makes decisions reach the domain) and a fresh Idempotency-Key.
The database (a SQLite file) holds a registered client (the schema's example
``client_id``), a submitted application, a JCP project and a business plan;
routes on one resource are pointed at the seeded one, so generated bodies
reach the domain rules instead of stopping at 404.
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
from contracts.programs import SponsorType
from contracts.rulebook import LegalStatus, load_rulebook
from services.programs.adapters.repositories import (
    BusinessPlanRepository,
    jcp_projects,
    second_career_applications,
)
from services.programs.app.commands import EXAMPLE_CLIENT
from services.programs.bootstrap import create_app
from services.programs.domain import (
    BusinessPlan,
    JcpProject,
    PlanCommitments,
    SecondCareerApplication,
    SecondCareerFacts,
    TrainingRequest,
)
from services.programs.entrypoints.problems import DOMAIN_ERRORS
from services.programs.settings import ProgramsSettings
from tests.integration.intake.live_server import serve
from tests.integration.programs.service import AUTH, TODAY, Programs, commitments, token
from tests.support.openapi_fuzz import business_rule_types, call_and_validate, fuzz_config

CALLERS = {
    "admin": token("admin-1", "admin"),
    "caseworker": token("caseworker-1", "caseworker", "S001"),
    "site_manager": token("manager-1", "site_manager", "S001"),
    "ministry_analyst": token("analyst-1", "ministry_analyst"),
}
"""One fuzz run per role; the admin's run must reach every operation's rules."""
APPLICATION = uuid.UUID("5d1c3e9a-8f0b-4c1e-9a63-2b7f0c4d5e6f")
PROJECT = uuid.UUID("6e2d4f0b-9a1c-4d2f-8b74-3c8a1d5e6f70")
PLAN = uuid.UUID("7f3e5a1c-0b2d-4e3a-9c85-4d9b2e6f7a81")
SEEDED = {"application_id": APPLICATION, "project_id": PROJECT, "plan_id": PLAN}
CASES_PER_OPERATION = int(os.environ.get("EOCMS_FUZZ_EXAMPLES", "20"))
MINIMUM_CASES = 1000
"""Per role: the bound the security review asks for."""
BUSINESS_RULES = business_rule_types(DOMAIN_ERRORS)
"""The 422s a schema-valid request may meet: rules no schema can state."""
OPERATIONS = 31
"""18, business-plan review and return, JCP and SEB approval and denial, SEB start, and the
six lists (three by status, three waiting for a decision)."""

calls: dict[str, list[tuple[str, int]]] = {role: [] for role in CALLERS}
"""(operation, status) of every case run, for the count check."""


def _application(client_id: uuid.UUID) -> SecondCareerApplication:
    return SecondCareerApplication.submit(
        application_id=APPLICATION,
        client_id=client_id,
        site_id="S001",
        request=TrainingRequest("Welding diploma", "Welder", None, 52, 0),
        requested_costs={"tuition": 1_000_000},
        facts=SecondCareerFacts(True, date(2012, 3, 1), 0, True, LegalStatus.CITIZEN, True),
        submitted_on=date(2012, 6, 1),
        today=TODAY,
        rulebook=load_rulebook("2012-13"),
    )


def _seed(url: str) -> None:
    """The example client, an application of another client, a project and a plan."""

    async def seed() -> None:
        programs = Programs(app=None, http=None, url=url)  # type: ignore[arg-type]
        await programs.register_known(uuid.UUID(EXAMPLE_CLIENT))
        other = await programs.register()
        rulebook = load_rulebook("2012-13")
        metadata = EventMetadata(correlation_id=uuid.uuid4(), actor="seed", site_id="S001")
        engine = create_engine(url)
        try:
            await second_career_applications(engine).add(
                APPLICATION, _application(other), metadata, site_id="S001", client_id=other
            )
            project = JcpProject.create(
                project_id=PROJECT,
                site_id="S001",
                sponsor_name="Trust",
                sponsor_type=SponsorType.NON_PROFIT,
                title="Trails",
                starts_on=date(2012, 5, 1),
                ends_on=date(2012, 12, 31),
                rulebook=rulebook,
            )
            await jcp_projects(engine).add(PROJECT, project, metadata, site_id="S001")
            raw: dict[str, Any] = commitments()
            plan = BusinessPlan.submit(
                site_id="S001",
                commitments=PlanCommitments(**raw),
                submitted_on=date(2012, 3, 1),
                today=TODAY,
                rulebook=rulebook,
            )
            await BusinessPlanRepository(engine).add(PLAN, plan, metadata)
        finally:
            await engine.dispose()

    # Sync fixture, async seeding: its own loop, in its own thread.
    thread = threading.Thread(target=asyncio.run, args=(seed(),))
    thread.start()
    thread.join()


def _document() -> dict[str, Any]:
    """The OpenAPI document (building it touches no database)."""
    app = create_app(ProgramsSettings(database_url="sqlite+aiosqlite:///:memory:"), auth=AUTH)
    return app.openapi()


schema = schemathesis.openapi.from_dict(_document(), config=fuzz_config())


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Programs on a seeded SQLite file, its lifespan running in the client's portal."""
    url = f"sqlite+aiosqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'programs.db'}"
    app = create_app(ProgramsSettings(database_url=url), auth=AUTH, clock=fixed_clock(TODAY))
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
    for name, seeded in SEEDED.items():
        if name in (case.path_parameters or {}) and not negative:
            case.path_parameters[name] = str(seeded)
    headers = {"Authorization": f"Bearer {CALLERS[role]}"}
    if case.method.upper() != "GET" and not negative:
        headers["Idempotency-Key"] = str(uuid.uuid4())  # fresh: no accidental replay
    # Business rules no schema can state (dates in order, amounts within a cap, an
    # eligible client) may refuse a schema-valid body: as a 422 of their own problem
    # type (BUSINESS_RULES), never as a validation error.
    response = call_and_validate(case, BUSINESS_RULES, base_url=service, headers=headers)
    calls[role].append((case.operation.label, response.status_code))


def test_the_fuzzing_ran_enough_cases_on_every_programs_operation() -> None:
    for role, answered in calls.items():
        print(f"{role}: {len(answered)} fuzz cases")  # visible with -s: the numbers run
        assert len(answered) >= MINIMUM_CASES, f"only {len(answered)} cases ran as {role}"
    programs_calls = [(op, status) for op, status in calls["admin"] if "/health/" not in op]
    assert len(programs_calls) >= MINIMUM_CASES, f"only {len(programs_calls)} cases ran"
    assert len({op for op, _ in programs_calls}) == OPERATIONS
    assert any(200 <= status < 300 for _, status in programs_calls)
