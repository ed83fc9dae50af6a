"""Fixtures: the service under test over SQLite and PostgreSQL, and tokens for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.http import AuthSettings, IdempotencyStore, Role, mint_dev_token
from tests.integration.http.calls import client_for
from tests.integration.http.service_under_test import FakeClients, build_service

Tokens = Callable[..., str]


@pytest.fixture
def auth() -> AuthSettings:
    return AuthSettings(
        mode="dev",
        hs256_secret=SecretStr("integration-test-secret-long-enough-for-hs256"),
        issuer="eocms-test",
        audience="eocms-under-test",
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    fixture = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(fixture)


@pytest.fixture
def clients() -> FakeClients:
    return FakeClients()


@pytest.fixture
def service(auth: AuthSettings, engine: AsyncEngine, clients: FakeClients) -> FastAPI:
    return build_service(auth=auth, idempotency=IdempotencyStore(engine), clients=clients)


@pytest.fixture
async def http(service: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(service) as client:
        yield client


@pytest.fixture
def token(auth: AuthSettings) -> Tokens:
    def mint(
        *roles: Role, sites: Iterable[str] = ("S001",), subject: str = "alice", **overrides: object
    ) -> str:
        settings = auth.model_copy(update=overrides) if overrides else auth
        return mint_dev_token(
            settings, subject=subject, roles=roles or (Role.CASEWORKER,), site_ids=sites
        )

    return mint
