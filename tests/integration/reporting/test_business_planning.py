"""Each site's business-plan status through the facts projection (SQLite and PostgreSQL).

2012-13's planning calendar: plans due 16 December 2011, 17:00 Toronto time
(EST, UTC-5: 22:00 UTC). Seven sites, one status each, plus the deadline edge:

- S1 submitted at 17:00:00 exactly: on time (at the deadline is on time);
- S2 submitted at 17:00:01: late, with the consequence;
- S3 submitted on time, review started: in review;
- S4 submitted 17 December (date only: the start of that day): late; reviewed
  and returned: returned for revision, still late;
- S5 submitted on time, returned, revised (revision 2): submitted on time again;
- S6 submitted on time, revised, review of revision 2, approved: approved;
- S7 nothing: not submitted; missing only once the deadline has passed.

The events are applied in reverse order, in small batches, and then all again
(a redelivery): milestones are kept once by event id and the status comes from
their set, so neither the order nor the repeat changes anything.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer import DecodedEvent
from chassis.http import AuthSettings, mint_dev_token
from contracts.programs import (
    BusinessPlanApproved,
    BusinessPlanCommitments,
    BusinessPlanEvent,
    BusinessPlanReturned,
    BusinessPlanReviewStarted,
    BusinessPlanRevised,
    BusinessPlanSubmitted,
)
from contracts.registry import EventSchema
from contracts.topics import PROGRAMS_EVENTS
from services.reporting.adapters.business_plan_milestones import MILESTONE_EVENTS
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.facts_repository import FactsRepository
from services.reporting.adapters.tables import business_plan_milestones
from services.reporting.app.business_planning import planning_statuses
from services.reporting.bootstrap import create_app
from services.reporting.settings import ReportingSettings
from tests.integration.reporting.conftest import apply
from tests.integration.reporting.events import decoded

TORONTO = ZoneInfo("America/Toronto")
DEADLINE = datetime(2011, 12, 16, 17, 0, tzinfo=TORONTO)
YEAR = "2012-13"
CONSEQUENCE = "payment dates for the year may move (under review)"
SITES_YAML = """
- {site_id: S1, provider_id: P1, region: east}
- {site_id: S2, provider_id: P1, region: east}
- {site_id: S3, provider_id: P2, region: east}
- {site_id: S4, provider_id: P2, region: west}
- {site_id: S5, provider_id: P3, region: west}
- {site_id: S6, provider_id: P3, region: west}
- {site_id: S7, provider_id: P4, region: west}
"""
COMMITMENTS = BusinessPlanCommitments(
    core_measures={}, planned_assisted_clients=100, planned_ri_clients=300
)
AUTH = AuthSettings()


def _plan_events(site: str, *payloads: EventSchema) -> list[DecodedEvent]:
    return [
        decoded(
            payload,
            topic=PROGRAMS_EVENTS,
            stream=f"business-plan:{site}:{YEAR}",
            version=version,
            occurred_at=datetime(2012, 1, 1, tzinfo=UTC) + timedelta(days=version),
        )
        for version, payload in enumerate(payloads, start=1)
    ]


def _keys(site: str, revision: int = 1) -> dict[str, object]:
    return {"site_id": site, "fiscal_year": YEAR, "revision": revision}


def _submitted(site: str, at: datetime | None, on: date | None = None) -> BusinessPlanEvent:
    return BusinessPlanSubmitted(
        **_keys(site),
        commitments=COMMITMENTS,
        submitted_on=on or at.date(),  # type: ignore[union-attr]
        submitted_at=at,
    )


def _revised(site: str, revision: int) -> BusinessPlanEvent:
    return BusinessPlanRevised(
        **_keys(site, revision), commitments=COMMITMENTS, revised_on=date(2012, 1, 20)
    )


def _review(site: str, revision: int = 1) -> BusinessPlanReviewStarted:
    return BusinessPlanReviewStarted(**_keys(site, revision), review_started_on=date(2012, 1, 5))


def _returned(site: str) -> BusinessPlanReturned:
    return BusinessPlanReturned(**_keys(site), returned_on=date(2012, 1, 10))


ON_TIME = DEADLINE - timedelta(days=2)


def planning_events() -> list[DecodedEvent]:
    """Every site's plan events, in the order programs records them."""
    return [
        *_plan_events("S1", _submitted("S1", DEADLINE)),
        *_plan_events("S2", _submitted("S2", DEADLINE + timedelta(seconds=1))),
        *_plan_events("S3", _submitted("S3", ON_TIME), _review("S3")),
        *_plan_events(
            "S4", _submitted("S4", None, date(2011, 12, 17)), _review("S4"), _returned("S4")
        ),
        *_plan_events("S5", _submitted("S5", ON_TIME), _returned("S5"), _revised("S5", 2)),
        *_plan_events(
            "S6",
            _submitted("S6", ON_TIME),
            _revised("S6", 2),
            _review("S6", 2),
            BusinessPlanApproved(
                **_keys("S6", 2), commitments=COMMITMENTS, approved_on=date(2012, 2, 1)
            ),
        ),
    ]


EXPECTED = {  # site: (status, late, missing, consequence)
    "S1": ("submitted-on-time", False, False, None),
    "S2": ("submitted-late", True, False, CONSEQUENCE),
    "S3": ("in-review", False, False, None),
    "S4": ("returned-for-revision", True, False, CONSEQUENCE),
    "S5": ("submitted-on-time", False, False, None),
    "S6": ("approved", False, False, None),
    "S7": ("not-submitted", False, True, CONSEQUENCE),
}


@pytest.fixture
def sites_file(tmp_path: Path) -> Path:
    path = tmp_path / "sites.yaml"
    path.write_text(SITES_YAML)
    return path


@pytest.fixture
async def planned(engine: AsyncEngine) -> AsyncEngine:
    """The plan events applied in reverse order, in batches of 3, then all again."""
    events = planning_events()
    await apply(engine, events[::-1], batch=3)
    await apply(engine, events)
    return engine


async def test_every_status_from_the_milestones_whatever_their_order(
    planned: AsyncEngine, sites_file: Path
) -> None:
    async with planned.connect() as connection:
        stored = (await connection.execute(sa.select(sa.func.count()).select_from(
            business_plan_milestones))).scalar_one()  # fmt: skip
    assert stored == len(planning_events())  # once per event id despite the redelivery
    # the consumer hands the projection these types (it skips unused ones from their headers)
    assert {model.event_type for model in MILESTONE_EVENTS} <= FactsProjection.event_types
    repository = FactsRepository(planned, sites_file)
    after = await planning_statuses(
        repository, YEAR, now=datetime(2012, 3, 1, tzinfo=TORONTO), visible_sites=None
    )
    assert {
        site.site_id: (
            p.standing.status.value,
            p.standing.late,
            p.standing.missing,
            p.standing.consequence,
        )
        for site, p in after
        if p.standing is not None
    } == EXPECTED
    by_site = {site.site_id: p for site, p in after}
    assert by_site["S2"].first_submitted_at == DEADLINE + timedelta(seconds=1)
    assert by_site["S4"].first_submitted_at == datetime(2011, 12, 17, tzinfo=TORONTO)
    assert (by_site["S6"].revision, by_site["S6"].approved_on) == (2, date(2012, 2, 1))


async def test_any_interleaving_gives_the_same_statuses(
    planned: AsyncEngine, sites_file: Path
) -> None:
    repository = FactsRepository(planned, sites_file)
    now = datetime(2012, 3, 1, tzinfo=TORONTO)

    async def statuses() -> dict[str, object]:
        rows = await planning_statuses(repository, YEAR, now=now, visible_sites=None)
        return {site.site_id: planning.standing for site, planning in rows}

    expected = await statuses()
    events = planning_events()
    rng = random.Random(14)
    for _ in range(3):
        async with planned.begin() as connection:
            await connection.execute(sa.delete(business_plan_milestones))
        shuffled = rng.sample(events, len(events))
        await apply(planned, shuffled, batch=rng.randint(1, 5))
        assert await statuses() == expected


async def test_a_missing_plan_is_flagged_only_after_the_deadline(
    planned: AsyncEngine, sites_file: Path
) -> None:
    repository = FactsRepository(planned, sites_file)

    async def s7_at(now: datetime) -> tuple[str, bool]:
        rows = await planning_statuses(repository, YEAR, now=now, visible_sites=["S7"])
        ((_, planning),) = rows
        assert planning.standing is not None
        return planning.standing.status.value, planning.standing.missing

    assert await s7_at(DEADLINE) == ("not-submitted", False)
    assert await s7_at(DEADLINE + timedelta(seconds=1)) == ("not-submitted", True)


def _bearer(role: str, *sites: str) -> dict[str, str]:
    token = mint_dev_token(AUTH, subject=f"{role}-1", roles=[role], site_ids=sites)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def http(
    planned: AsyncEngine, database_url: str, sites_file: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """Reporting over the planned database, its clock stopped on 1 March 2012."""
    app = create_app(ReportingSettings(database_url=database_url, sites_file=sites_file), auth=AUTH)
    app.state.reporting_now = lambda: datetime(2012, 3, 1, 9, tzinfo=TORONTO)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as client:
            yield client


async def test_http_lists_statuses_flags_late_and_missing_plans_and_scopes_by_role(
    http: httpx.AsyncClient,
) -> None:
    analyst = _bearer("ministry_analyst")
    listed = await http.get("/business-planning", params={"fiscal_year": YEAR}, headers=analyst)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["judged_at"].startswith("2012-03-01T09:00:00")
    assert {
        row["site_id"]: (row["status"], row["late"], row["missing"], row["consequence"])
        for row in body["sites"]
    } == EXPECTED
    # As of a past day the status is judged at that day's end: on 15 December 2011 the
    # deadline (the 16th, 17:00) had not passed, so S7 was not yet missing.
    early = await http.get(
        "/business-planning",
        params={"fiscal_year": YEAR, "as_of": "2011-12-15", "region": "west"},
        headers=analyst,
    )
    assert [(r["site_id"], r["status"], r["missing"]) for r in early.json()["sites"]][-1] == (
        "S7",
        "not-submitted",
        False,
    )
    compliance = await http.get(
        "/compliance", params={"fiscal_year": YEAR, "as_of": "2012-04-30"}, headers=analyst
    )
    assert compliance.status_code == 200, compliance.text
    flagged = {
        row["site_id"]: (row["business_plan"]["late"], row["business_plan"]["missing"])
        for row in compliance.json()["sites"]
        if row["business_plan"]["late"] or row["business_plan"]["missing"]
    }
    assert flagged == {"S2": (True, False), "S4": (True, False), "S7": (False, True)}
    s7 = next(r for r in compliance.json()["sites"] if r["site_id"] == "S7")
    assert s7["business_plan"]["consequence"] == CONSEQUENCE
    # Site staff see their own site only; caseworkers are refused; a bad year is a problem.
    params = {"fiscal_year": YEAR}
    manager = await http.get(
        "/business-planning", params=params, headers=_bearer("site_manager", "S4")
    )
    assert [(r["site_id"], r["status"]) for r in manager.json()["sites"]] == [
        ("S4", "returned-for-revision")
    ]
    refused = await http.get(
        "/business-planning", params=params, headers=_bearer("caseworker", "S4")
    )
    assert refused.status_code == 403
    bad = await http.get(
        "/business-planning", params={"fiscal_year": "2012-14"}, headers=_bearer("admin")
    )
    assert bad.status_code == 422
    document = (await http.get("/openapi.json")).json()
    assert "200" in document["paths"]["/business-planning"]["get"]["responses"]
    statuses = document["components"]["schemas"]["PlanStatus"]["enum"]
    assert set(statuses) == {row[0] for row in EXPECTED.values()}
    assert bad.headers["content-type"].startswith("application/problem+json")
