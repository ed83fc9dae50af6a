"""Fixtures: intake's app over SQLite and PostgreSQL, started with its lifespan, and tokens."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from pathlib import Path

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from chassis.http import AuthSettings, Role, mint_dev_token
from chassis.settings import KafkaSettings
from services.intake.bootstrap import create_app
from services.intake.settings import IntakeSettings
from tests.integration.http.calls import client_for
from tests.support.postgres import ADMIN_URL

Tokens = Callable[..., str]


@pytest.fixture
def auth() -> AuthSettings:
    return AuthSettings(
        mode="dev",
        hs256_secret=SecretStr("intake-integration-secret-long-enough-for-hs256"),
        issuer="eocms-test",
        audience="eocms-intake-test",
    )


@pytest.fixture
async def postgres_keystore_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for intake's key store (apart from the data)."""
    admin = await asyncpg.connect(
        make_url(ADMIN_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    name = f"eocms_test_keys_{uuid.uuid4().hex[:12]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> IntakeSettings:
    if request.param == "sqlite":
        return IntakeSettings(data_dir=tmp_path)
    return IntakeSettings(
        database_url=request.getfixturevalue("postgres_url"),
        keystore_database_url=request.getfixturevalue("postgres_keystore_url"),
        data_dir=tmp_path,
    )


@pytest.fixture
async def app(settings: IntakeSettings, auth: AuthSettings) -> AsyncIterator[FastAPI]:
    service = create_app(settings, KafkaSettings(bootstrap_servers=None), auth=auth)
    async with service.router.lifespan_context(service):
        yield service


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as client:
        yield client


@pytest.fixture
def token(auth: AuthSettings) -> Tokens:
    def mint(*roles: Role, sites: Iterable[str] = ("S001",), subject: str = "alice") -> str:
        return mint_dev_token(
            auth, subject=subject, roles=roles or (Role.CASEWORKER,), site_ids=sites
        )

    return mint
