"""A real dashboard document for the offline file's tests: reporting's answer over a seeded history.

The history is reporting's hand-worked scenario (three sites A, B, C; two
providers; two regions), applied through the facts projection into a SQLite
store; the document is what ``GET /dashboard/data`` answers an analyst.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from chassis.database import create_engine
from chassis.http import AuthSettings, mint_dev_token
from chassis.migrate import migrate
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.migrations import VERSIONS
from services.reporting.bootstrap import create_app
from services.reporting.settings import ReportingSettings
from tests.integration.reporting.events import scenario

SITES = ("A", "B", "C")
SITES_YAML = """
- {site_id: A, provider_id: P1, region: east}
- {site_id: B, provider_id: P1, region: east}
- {site_id: C, provider_id: P2, region: west}
"""


async def scenario_document(directory: Path, *, fiscal_year: str = "2012-13") -> dict[str, Any]:
    """The analyst's dashboard document for the scenario's year to date."""
    url = f"sqlite+aiosqlite:///{directory / 'reporting.db'}"
    engine = create_engine(url)
    try:
        await migrate(engine, extra_version_locations=[VERSIONS])
        async with engine.begin() as connection:
            await FactsProjection().apply(connection, scenario()[0])
    finally:
        await engine.dispose()
    sites = directory / "sites.yaml"
    sites.write_text(SITES_YAML)
    auth = AuthSettings()
    app = create_app(ReportingSettings(database_url=url, sites_file=sites), auth=auth)
    # exact counts (an analyst would see this small scenario's counts suppressed)
    token = mint_dev_token(auth, subject="operator", roles=["admin"])
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as client:
            answer = await client.get(
                "/dashboard/data",
                params={"fiscal_year": fiscal_year},
                headers={"Authorization": f"Bearer {token}"},
            )
    answer.raise_for_status()
    return answer.json()
