"""A small service built with create_service_app, with fakes that count side effects."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Response
from pydantic import BaseModel, Field

from chassis.eventstore import ConcurrencyConflict
from chassis.http import (
    AuthSettings,
    ClientLevelPrincipal,
    IdempotencyKey,
    IdempotencyStore,
    IdempotentRoute,
    Principal,
    ReadinessCheck,
    ResourceNotFound,
    Role,
    ServiceMetrics,
    create_service_app,
    id_for_idempotency_key,
    require_roles,
    require_site_access,
)
from chassis.http.settings import RequestLimits
from chassis.settings import ServiceSettings

AggregateReader = Annotated[
    Principal, Depends(require_roles(Role.MINISTRY_ANALYST, Role.SITE_MANAGER, Role.ADMIN))
]
"""Who may read aggregates (a route parameter type, declared once at module level)."""


class PlanClosed(Exception):
    """The service plan is closed"""


@dataclass
class FakeClients:
    """An in-memory client register that records every side effect."""

    sites: dict[str, str] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    registrations: list[str] = field(default_factory=list)
    crashes: int = 0
    entered: asyncio.Event = field(default_factory=asyncio.Event)
    gate: asyncio.Event | None = None


class RegisterClient(BaseModel):
    site_id: str = Field(min_length=1)
    age_band: str


class RenameClient(BaseModel):
    expected_version: int


def clients_router(clients: FakeClients) -> APIRouter:
    """Client-level endpoints: site scoped, analysts refused, commands idempotent."""
    router = APIRouter(prefix="/clients", route_class=IdempotentRoute, tags=["clients"])

    @router.post("", status_code=201)
    async def register_client(
        command: RegisterClient,
        principal: ClientLevelPrincipal,
        key: IdempotencyKey,
        response: Response,
    ) -> dict[str, object]:
        require_site_access(principal, command.site_id, hide_existence=False)
        clients.entered.set()
        if clients.gate is not None:
            await clients.gate.wait()
        client_id = str(id_for_idempotency_key(principal.subject, key))
        clients.sites[client_id] = command.site_id
        clients.versions[client_id] = 1
        clients.registrations.append(client_id)
        response.headers["Location"] = f"/clients/{client_id}"
        response.headers["ETag"] = '"1"'
        return {"client_id": client_id, "registration": len(clients.registrations)}

    @router.get("/{client_id}")
    async def read_client(client_id: str, principal: ClientLevelPrincipal) -> dict[str, str]:
        site_id = clients.sites.get(client_id)
        if site_id is None:
            raise ResourceNotFound("client")
        require_site_access(principal, site_id)
        return {"client_id": client_id, "site_id": site_id}

    @router.put("/{client_id}/name")
    async def rename_client(
        client_id: str, command: RenameClient, principal: ClientLevelPrincipal
    ) -> dict[str, int]:
        current = clients.versions.get(client_id, 0)
        if command.expected_version != current:
            raise ConcurrencyConflict(client_id, command.expected_version, current)
        clients.versions[client_id] = current + 1
        return {"version": current + 1}

    @router.post("/{client_id}/plan/close")
    async def close_plan(client_id: str, principal: ClientLevelPrincipal) -> None:
        raise PlanClosed(f"The plan of client {client_id} was closed on 2012-06-01.")

    @router.delete("/{client_id}")
    async def crash(client_id: str, principal: ClientLevelPrincipal) -> None:
        clients.crashes += 1
        raise RuntimeError("database password is hunter2")

    return router


def reports_router() -> APIRouter:
    """An aggregate endpoint for analysts, managers and admins."""
    router = APIRouter(prefix="/sqs", tags=["reports"])

    @router.get("")
    async def sqs(principal: AggregateReader) -> dict[str, float]:
        return {"S001": 8.7}

    return router


def build_service(
    *,
    auth: AuthSettings,
    idempotency: IdempotencyStore,
    clients: FakeClients,
    readiness_checks: Mapping[str, ReadinessCheck] | None = None,
    metrics: ServiceMetrics | None = None,
    request_limits: RequestLimits | None = None,
) -> FastAPI:
    """The app under test, wired exactly as a service's composition root would."""
    return create_service_app(
        title="Service under test",
        version="0.0.1",
        settings=ServiceSettings(service_name="under-test"),
        auth=auth,
        routers=[clients_router(clients), reports_router()],
        idempotency=idempotency,
        readiness_checks=readiness_checks,
        domain_errors={PlanClosed: 409},
        metrics=metrics,
        request_limits=request_limits,
    )
