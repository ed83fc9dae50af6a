"""The front end in process against intake, caseload and programs in process (SQLite, no bus)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from chassis.database import create_engine
from chassis.http import AuthSettings
from chassis.settings import KafkaSettings
from services.caseload.adapters.known_clients_projection import KnownClientsProjection
from services.caseload.bootstrap import create_app as create_caseload
from services.caseload.settings import CaseloadSettings
from services.intake.bootstrap import create_app as create_intake
from services.intake.settings import IntakeSettings
from services.programs.adapters.known_clients_projection import (
    KnownClientsProjection as ProgramsKnownClients,
)
from services.programs.bootstrap import create_app as create_programs
from services.programs.settings import ProgramsSettings
from services.web.bootstrap import create_app as create_web
from services.web.settings import CaseworkerWebSettings
from tests.integration.caseload.service import decoded, eligibility
from tests.support.events import client_registered

AUTH = AuthSettings(mode="dev", hs256_secret=SecretStr("web-front-end-tests-secret-long-enough-1"))


class Dispatch(httpx.AsyncBaseTransport):
    """Routes the front end's calls to the in-process app named by the URL's host."""

    def __init__(self, apps: dict[str, FastAPI]) -> None:
        self._transports = {
            host: httpx.ASGITransport(app=app, raise_app_exceptions=False)
            for host, app in apps.items()
        }

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._transports[request.url.host].handle_async_request(request)


@dataclass
class FrontEnd:
    """The browser's side: an HTTP client with cookies, and the services' databases."""

    browser: httpx.AsyncClient
    caseload_url: str
    programs_url: str
    programs: httpx.AsyncClient
    """Programs' API itself, for what no page does yet (a JCP project's submission)."""

    async def sign_in(self, role: str = "caseworker", *sites: str, language: str = "en") -> None:
        """The development sign-in, as the form posts it."""
        self.browser.cookies.set("eocms_lang", language)
        form = {"role": role, "site_ids": list(sites or ("S001",)), "name": f"{role}-1"}
        answer = await self.browser.post("/signin", data=form)
        assert answer.status_code == 303, answer.text

    async def caseload_learns_of(self, client_id: str, site_id: str = "S001") -> None:
        """What the bus would bring: the registration and eligibility, into caseload's view."""
        client = uuid.UUID(client_id)
        events = [
            decoded(client_registered(client, site_id), f"client-{client}", 1),
            decoded(eligibility(client), f"client-{client}", 2),
        ]
        for url, projection in (
            (self.caseload_url, KnownClientsProjection()),
            (self.programs_url, ProgramsKnownClients()),
        ):
            engine = create_engine(url)
            try:
                async with engine.begin() as connection:
                    await projection.apply(
                        connection, events[:1] if url == self.programs_url else events
                    )
            finally:
                await engine.dispose()


@pytest.fixture
async def front_end(tmp_path: Path) -> AsyncIterator[FrontEnd]:
    no_bus = KafkaSettings(bootstrap_servers=None)
    caseload_url = f"sqlite+aiosqlite:///{tmp_path / 'caseload.db'}"
    programs_url = f"sqlite+aiosqlite:///{tmp_path / 'programs.db'}"
    apps = {
        "intake.test": create_intake(IntakeSettings(data_dir=tmp_path), no_bus, auth=AUTH),
        "caseload.test": create_caseload(
            CaseloadSettings(database_url=caseload_url, unknown_client_wait_seconds=0),
            no_bus,
            auth=AUTH,
        ),
        "programs.test": create_programs(
            ProgramsSettings(database_url=programs_url),
            no_bus,
            auth=AUTH,
        ),
    }
    settings = CaseworkerWebSettings(
        intake_url="http://intake.test",
        caseload_url="http://caseload.test",
        programs_url="http://programs.test",
    )
    web = create_web(settings, auth=AUTH, transport=Dispatch(apps))
    async with AsyncExitStack() as stack:
        for app in (*apps.values(), web):
            await stack.enter_async_context(app.router.lifespan_context(app))
        transport = httpx.ASGITransport(app=web, raise_app_exceptions=False)
        browser = await stack.enter_async_context(
            httpx.AsyncClient(transport=transport, base_url="http://web.test")
        )
        programs = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=apps["programs.test"]),
                base_url="http://programs.test",
            )
        )
        yield FrontEnd(browser, caseload_url, programs_url, programs)
