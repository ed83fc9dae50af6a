"""A changed rule book recomputes its fiscal year, and only it (PostgreSQL, local broker).

The scenario's events reach the read model through the session's broker and
the real projection runner, on topics of the test's own.

The scenario's facts are computed with the packaged 2012-13 rule book
(``2012-13.2``: Service Coordination v2). The service then restarts on a copy
of the rule books where 2012-13 is revision ``2012-13.3``: Service
Coordination back to v1 (referral records) and a Client Suitability standard
of 50%.

Hand-worked q1 under 2012-13.3 (counts from ``tests/unit/reporting/scenario.py``):

  Site A  coordination v1 records: A1 OUT during + OUT at exit = 2, A3 IN once = 1,
          A4 OUT after exit = 0: 3/4 = 75.0% -> .25 x 10 x 3/4 = 1.875 (1.88);
          suitability 2/4 = 50.0% against 50%: raw_rate, still .20 x 10 x 1/2 = 1.00;
          SQS = 1 + 15/8 + 1 + 3/4 + 1 = 45/8 = 5.625 -> 5.63
  Site B  v1 records B1 1, B3 1 = 2/2, as v2 -> 6.33
  Site C  v1 records C1 1 (at registration) = 1/1, as v2 -> 2.50
  Province coordination v1 (3+2+1)/(4+2+1) = 6/7 -> 15/7;
          SQS = 6/5 + 15/7 + 8/9 + 3/7 + 1 = 1783/315 = 5.660.. -> 5.66

Fiscal year 2011-12 (site B's plan B3 opened in March 2012) is not touched.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from chassis.database import create_engine
from chassis.migrate import migrate
from contracts.rulebook import DATA_DIRECTORY
from eocms.cli import app as cli
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.migrations import VERSIONS
from services.reporting.adapters.tables import measures, site_years
from services.reporting.bootstrap import create_app
from services.reporting.settings import ReportingSettings
from tests.integration.reporting.events import scenario
from tests.integration.reporting.test_http import ADMIN, AUTH, Q1
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory
from tests.support.reporting_live import (
    as_published,
    live_runner,
    own_topics,
    publish,
    wait_until_applied,
)

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]


def changed_rulebooks(directory: Path) -> Path:
    """A copy of the packaged rule books with 2012-13 revised to 2012-13.3 (an inheriting
    file: only what changes is stated, the rest comes from 2011-12)."""
    copy = directory / "rulebooks"
    shutil.copytree(DATA_DIRECTORY, copy)
    path = copy / "2012-13.yaml"
    text = path.read_text()
    for old, new in [
        ('version: "2012-13.2"', 'version: "2012-13.3"'),
        ("    rule_version: v2", "    rule_version: v1\n  client_suitability:\n    target: 0.50"),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text)
    return copy


@asynccontextmanager
async def reporting(url: str, rulebooks: Path | None) -> AsyncIterator[httpx.AsyncClient]:
    """The service (no broker) on ``url`` with these rule books, started and stopped."""
    settings = ReportingSettings(database_url=url, rulebook_directory=rulebooks)
    app = create_app(settings, auth=AUTH)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as client:
            yield client


async def rows_of_2011_12(engine: AsyncEngine) -> list[Any]:
    """The 2011-12 site-year and measure rows, refresh time included."""
    async with engine.connect() as connection:
        years = await connection.execute(
            sa.select(site_years).where(site_years.c.fiscal_year == "2011-12")
        )
        counts = await connection.execute(
            sa.select(measures).where(measures.c.fiscal_year == "2011-12")
        )
        return sorted(map(tuple, [*years, *counts]), key=repr)


async def sqs_by_scope(http: httpx.AsyncClient) -> tuple[str, dict[str, float]]:
    """The rule-book version and each scope's q1 SQS."""
    body = (await http.get("/sqs", params=Q1, headers=ADMIN)).json()
    scores = {row["scope"]: row["sqs"] for row in [*body["sites"], body["rollup"]]}
    return body["rulebook_version"], scores


async def project_through_the_broker(kafka: KafkaUnderTest, engine: AsyncEngine) -> None:
    """Publish the scenario's events to fresh topics and run the projection until applied."""
    topics = await own_topics(kafka)
    events = as_published(scenario()[0])
    await publish(kafka, topics, events)
    projection = FactsProjection(name=kafka.unique("reporting.facts"), topics=[*topics.values()])
    async with live_runner(kafka, engine, projection):
        await wait_until_applied(engine, projection.name, events)


async def test_a_changed_rule_book_recomputes_its_year_only(
    postgres_database_factory: DatabaseFactory, kafka: KafkaUnderTest, tmp_path: Path
) -> None:
    url = await postgres_database_factory()
    engine = create_engine(url)
    try:
        await migrate(engine, extra_version_locations=[VERSIONS])
        await project_through_the_broker(kafka, engine)
        async with reporting(url, None) as http:
            assert await sqs_by_scope(http) == (
                "2012-13.2",
                {"A": 5.0, "B": 6.33, "C": 2.5, "province": 5.3},
            )
        untouched = await rows_of_2011_12(engine)
        assert untouched

        async with reporting(url, changed_rulebooks(tmp_path)) as http:
            assert await sqs_by_scope(http) == (
                "2012-13.3",
                {"A": 5.63, "B": 6.33, "C": 2.5, "province": 5.66},
            )
            response = await http.get("/measures", params={**Q1, "site_id": "A"}, headers=ADMIN)
            measures_of_a = {m["measure_id"]: m for m in response.json()["sites"][0]["measures"]}
        coordination = measures_of_a["service_coordination"]
        assert (coordination["rule_version"], coordination["numerator"]) == ("v1", 3)
        assert (coordination["denominator"], coordination["score"]) == (4, 1.88)
        suitability = measures_of_a["client_suitability"]
        assert (
            suitability["target_percent"],
            suitability["actual_percent"],
            suitability["score"],
        ) == (50.0, 50.0, 1.0)  # raw_rate: the standard does not change the score
        assert await rows_of_2011_12(engine) == untouched
    finally:
        await engine.dispose()

    arguments = ["report", "sqs", "--fiscal-year", "2012-13", "--period", "q1"]
    options = ["--format", "json", "--database-url", url, "--exact"]
    result = await asyncio.to_thread(CliRunner().invoke, cli, [*arguments, *options])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["rulebook_version"] == "2012-13.3"
    assert [row["sqs"] for row in body["sites"]] == [5.63, 6.33, 2.5]
    assert body["rollup"]["sqs"] == 5.66
