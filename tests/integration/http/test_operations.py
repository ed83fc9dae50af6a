"""Health, readiness, metrics, correlation ids and the OpenAPI document."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.http import (
    AuthSettings,
    IdempotencyStore,
    IdempotentRoute,
    ServiceMetrics,
    broker_answers,
    create_service_app,
    database_ready,
)
from chassis.readiness import CheckResult, CheckStatus
from chassis.settings import ServiceSettings
from tests.integration.http.calls import bearer, client_for, new_key
from tests.integration.http.conftest import Tokens
from tests.integration.http.service_under_test import FakeClients, build_service


@pytest.fixture
def engine(sqlite_engine: AsyncEngine) -> AsyncEngine:
    return sqlite_engine


async def failing_check() -> None:
    raise ConnectionRefusedError("broker at 10.0.0.7:9092 refused")


async def test_liveness_needs_no_token_and_says_live(http: httpx.AsyncClient) -> None:
    response = await http.get("/health/live")
    assert (response.status_code, response.json()) == (200, {"status": "live"})


async def test_readiness_is_200_when_every_check_passes(
    auth: AuthSettings, engine: AsyncEngine, clients: FakeClients
) -> None:
    app = build_service(
        auth=auth,
        idempotency=IdempotencyStore(engine),
        clients=clients,
        readiness_checks={"database": database_ready(engine)},
    )
    async with client_for(app) as http:
        response = await http.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok"}}


async def test_readiness_is_a_503_problem_naming_the_failed_check(
    auth: AuthSettings, engine: AsyncEngine, clients: FakeClients
) -> None:
    app = build_service(
        auth=auth,
        idempotency=IdempotencyStore(engine),
        clients=clients,
        readiness_checks={"database": database_ready(engine), "broker": failing_check},
    )
    async with client_for(app) as http:
        response = await http.get("/health/ready")
    problem = response.json()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["type"] == "/problems/not-ready"
    assert problem["checks"] == {"database": "ok", "broker": "failed (ConnectionRefusedError)"}
    assert "10.0.0.7" not in response.text


async def test_a_starting_consumer_keeps_the_service_ready_and_says_so(
    auth: AuthSettings, engine: AsyncEngine, clients: FakeClients
) -> None:
    async def joining() -> CheckResult:
        return CheckResult(CheckStatus.STARTING)

    app = build_service(
        auth=auth,
        idempotency=IdempotencyStore(engine),
        clients=clients,
        readiness_checks={"database": database_ready(engine), "consumer:facts": joining},
    )
    async with client_for(app) as http:
        response = await http.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "consumer:facts": "starting"},
    }


async def test_a_degraded_consumer_answers_200_with_status_degraded_and_the_reason(
    auth: AuthSettings, engine: AsyncEngine, clients: FakeClients
) -> None:
    async def parked() -> CheckResult:
        return CheckResult(CheckStatus.DEGRADED, "2 events parked for 95 s")

    app = build_service(
        auth=auth,
        idempotency=IdempotencyStore(engine),
        clients=clients,
        readiness_checks={"database": database_ready(engine), "consumer:facts": parked},
    )
    async with client_for(app) as http:
        response = await http.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "consumer:facts": "degraded (2 events parked for 95 s)"},
    }


async def test_the_broker_check_fails_when_nothing_listens() -> None:
    with pytest.raises(ConnectionError):
        await broker_answers("127.0.0.1:1")()


async def test_metrics_count_requests_by_route_template_and_status(
    http: httpx.AsyncClient, token: Tokens, clients: FakeClients
) -> None:
    clients.sites["c1"] = "S001"
    await http.get("/clients/c1", headers=bearer(token()))
    await http.get("/clients/c1", headers=bearer(token()))
    await http.get("/clients/c9", headers=bearer(token()))

    exposition = (await http.get("/metrics")).text

    assert 'http_requests_total{method="GET",route="/clients/{client_id}",status="200"} 2.0' in (
        exposition
    )
    assert 'route="/clients/{client_id}",status="404"} 1.0' in exposition
    assert 'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/clients/' in (
        exposition
    )


async def test_route_templates_include_the_prefixes_of_nested_routers(
    auth: AuthSettings, token: Tokens
) -> None:
    items = APIRouter(prefix="/items")

    @items.get("/{item_id}")
    async def read_item(item_id: str) -> dict[str, str]:
        return {"item_id": item_id}

    versioned = APIRouter(prefix="/v1")
    versioned.include_router(items, prefix="/nested")
    async with client_for(service_with(auth, versioned, idempotency=None)) as http:
        assert (await http.get("/v1/nested/items/7", headers=bearer(token()))).status_code == 200
        exposition = (await http.get("/metrics")).text
    assert 'route="/v1/nested/items/{item_id}",status="200"} 1.0' in exposition


async def test_each_app_has_its_own_registry_and_services_can_add_gauges(
    auth: AuthSettings, engine: AsyncEngine
) -> None:
    metrics = ServiceMetrics()
    backlog = metrics.gauge("outbox_backlog", "Outbox rows not yet published.")

    async def sample_backlog() -> None:
        backlog.set(42)

    metrics.on_scrape(sample_backlog)
    first = build_service(
        auth=auth, idempotency=IdempotencyStore(engine), clients=FakeClients(), metrics=metrics
    )
    second = build_service(auth=auth, idempotency=IdempotencyStore(engine), clients=FakeClients())
    async with client_for(first) as one, client_for(second) as two:
        await one.get("/health/live")
        exposed_first = (await one.get("/metrics")).text
        exposed_second = (await two.get("/metrics")).text
    assert "outbox_backlog 42.0" in exposed_first
    assert "outbox_backlog" not in exposed_second
    assert 'route="/health/live"' not in exposed_second


async def test_a_correlation_id_is_echoed_or_made_up(http: httpx.AsyncClient) -> None:
    given = str(uuid.uuid4())
    echoed = await http.get("/health/live", headers={"X-Correlation-ID": given})
    made_up = await http.get("/health/live")
    replaced = await http.get("/health/live", headers={"X-Correlation-ID": "<script>"})
    assert echoed.headers["x-correlation-id"] == given
    assert uuid.UUID(made_up.headers["x-correlation-id"])
    assert uuid.UUID(replaced.headers["x-correlation-id"])


async def test_problems_carry_the_correlation_id_of_their_request(http: httpx.AsyncClient) -> None:
    given = str(uuid.uuid4())
    response = await http.get("/clients/c1", headers={"X-Correlation-ID": given})
    assert response.json()["correlation_id"] == given


async def test_openapi_documents_bearer_auth_idempotency_keys_and_problems(
    http: httpx.AsyncClient,
) -> None:
    document = (await http.get("/openapi.json")).json()

    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    register = document["paths"]["/clients"]["post"]
    assert register["security"] == [{"bearerAuth": []}]
    key = next(p for p in register["parameters"] if p["name"] == "Idempotency-Key")
    assert (key["in"], key["required"]) == ("header", True)
    assert register["responses"]["422"] == {"$ref": "#/components/responses/UnprocessableContent"}
    assert set(register["responses"]) >= {"201", "400", "401", "403", "409", "422"}
    read = document["paths"]["/clients/{client_id}"]["get"]
    assert "Idempotency-Key" not in {p["name"] for p in read["parameters"]}
    assert "security" not in document["paths"]["/health/live"]["get"]
    problem = document["components"]["responses"]["Unauthenticated"]["content"]
    assert "application/problem+json" in problem
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_the_factory_refuses_a_command_route_without_idempotency(auth: AuthSettings) -> None:
    plain = APIRouter()

    @plain.post("/things")
    async def create_thing() -> None: ...

    with pytest.raises(TypeError, match="IdempotentRoute"):
        service_with(auth, plain, idempotency=None)


def test_the_factory_refuses_commands_without_an_idempotency_store(auth: AuthSettings) -> None:
    router = APIRouter(route_class=IdempotentRoute)

    @router.post("/things")
    async def create_thing() -> None: ...

    with pytest.raises(ValueError, match="idempotency"):
        service_with(auth, router, idempotency=None)


async def test_building_two_apps_in_one_process_is_fine(
    auth: AuthSettings, engine: AsyncEngine
) -> None:
    apps = [service_with(auth, APIRouter(), IdempotencyStore(engine)) for _ in range(2)]
    for app in apps:
        async with client_for(app) as http:
            assert (await http.get("/health/live")).status_code == 200


async def test_a_command_without_any_token_is_401_before_any_key_check(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post("/clients", json={"site_id": "S001", "age_band": "25-44"})
    assert response.status_code == 401
    keyed = await http.post("/clients", json={}, headers={"Idempotency-Key": new_key()})
    assert keyed.status_code == 401


def service_with(
    auth: AuthSettings, router: APIRouter, idempotency: IdempotencyStore | None
) -> FastAPI:
    return create_service_app(
        title="t",
        version="1",
        settings=ServiceSettings(service_name="t"),
        auth=auth,
        routers=[router],
        idempotency=idempotency,
    )
