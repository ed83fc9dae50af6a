"""``run_demo``: simulate a province's fiscal year against the running system, end to end.

1. Simulate the year (a deterministic scenario from the seed and the size).
2. Start the local broker and the four services on fresh SQLite stores.
3. Drive every step over the services' HTTP APIs, month by month.
4. Wait until reporting has caught up (:mod:`eocms.demo.settle`).
5. Fetch the SQS table and measures for the year and each month; write the dashboard.
6. Stop everything (and remove the stores unless asked to keep them).
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import httpx

from chassis.http.dev_tokens import mint_dev_token
from chassis.http.principal import Role
from eocms.demo.dashboard import write_dashboard
from eocms.demo.driver import Driver, DriveReport
from eocms.demo.settle import fetch_json, wait_until_settled
from eocms.demo.simulator import Scenario, simulate
from eocms.demo.stack import RunningSystem, running_system, write_sites_file

STORES = "demo"
"""Subdirectory of the data directory holding the demo's stores (replaced on each run)."""


@dataclass(frozen=True)
class DemoOptions:
    """The size and the places of a demo run."""

    sites: int = 12
    clients: int = 500
    fiscal_year: str = "2012-13"
    seed: int = 2012
    data_dir: Path = Path(".eocms-data")
    output: Path | None = None
    keep_data: bool = False
    concurrency: int = 32

    @property
    def stores_dir(self) -> Path:
        """Where this run's service stores live."""
        return self.data_dir / STORES

    @property
    def dashboard_path(self) -> Path:
        """Where the dashboard is written."""
        return self.output or self.data_dir / "dashboard.html"


class DemoObserver(Protocol):
    """Hears how the run is going (the CLI draws progress bars from it)."""

    def phase(self, name: str) -> None:
        """A new phase began."""

    def driving(self, total_steps: int) -> None:
        """The drive is about to send ``total_steps`` steps."""

    def month(self, month: str) -> None:
        """The drive moved on to a simulated month."""

    def step(self) -> None:
        """One step was done."""

    def settling(self, sites_missing: int, sites: int) -> None:
        """Reporting was polled; ``sites_missing`` of ``sites`` still lack some events."""


class SilentObserver:
    """An observer that ignores everything (the default)."""

    def phase(self, name: str) -> None:
        """Ignored."""

    def driving(self, total_steps: int) -> None:
        """Ignored."""

    def month(self, month: str) -> None:
        """Ignored."""

    def step(self) -> None:
        """Ignored."""

    def settling(self, sites_missing: int, sites: int) -> None:
        """Ignored."""


@dataclass
class DemoResult:
    """What a run produced: the scenario, the drive and reporting's answers."""

    scenario: Scenario
    drive: DriveReport
    measures: dict[str, Any]
    monthly_sqs: dict[str, dict[str, Any]] = field(default_factory=dict)
    dashboard: Path | None = None
    dashboard_document: dict[str, Any] = field(default_factory=dict)
    """Reporting's ``/dashboard/data`` for the year to date: what the offline file draws."""
    compliance: dict[str, Any] | None = None
    """Reporting's ``/compliance`` answer at the year's end (counts per site)."""
    business_plans: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per site, its business plan as programs shows it (planning status, lateness)."""


Inspect = Callable[[RunningSystem, str, DemoResult], Awaitable[None]]
"""Called before shutdown with the system, a reporting token (exact) and the result (tests)."""


async def run_demo(
    options: DemoOptions,
    *,
    observer: DemoObserver | None = None,
    inspect: Inspect | None = None,
) -> DemoResult:
    """Run the whole demo; the services are stopped when it returns or raises."""
    observer = observer or SilentObserver()
    observer.phase("simulating")
    scenario = simulate(
        seed=options.seed,
        sites=options.sites,
        clients=options.clients,
        fiscal_year=options.fiscal_year,
    )
    shutil.rmtree(options.stores_dir, ignore_errors=True)
    sites_file = write_sites_file(scenario.province, options.stores_dir / "sites.json")
    try:
        observer.phase("starting")
        async with running_system(options.stores_dir, sites_file) as system:
            result = await _run_year(options, scenario, system, observer)
            if inspect is not None:
                await inspect(system, _reporting_token(system), result)
            observer.phase("stopping")
    finally:
        if not options.keep_data:
            shutil.rmtree(options.stores_dir, ignore_errors=True)
    return result


async def _run_year(
    options: DemoOptions, scenario: Scenario, system: RunningSystem, observer: DemoObserver
) -> DemoResult:
    site_tokens = {
        site.site_id: mint_dev_token(
            system.auth,
            subject=f"demo-staff-{site.site_id}",
            roles=[Role.CASEWORKER, Role.SITE_MANAGER],
            site_ids=[site.site_id],
            provider_id=site.provider_id,
            ttl_s=24 * 3600,
        )
        for site in scenario.province.sites
    }
    ministry_tokens = _consultant_tokens(system, scenario)
    reader = _reporting_token(system)
    limits = httpx.Limits(max_connections=options.concurrency * 2)
    async with httpx.AsyncClient(timeout=60.0, limits=limits) as client:
        driver = Driver(
            client,
            urls=system.urls,
            site_tokens=site_tokens,
            ministry_tokens=ministry_tokens,
            seed=options.seed,
            concurrency=options.concurrency,
        )
        observer.phase("driving")
        observer.driving(len(scenario.steps))
        drive = await driver.drive(scenario, on_month=observer.month, on_step=observer.step)
        observer.phase("settling")
        reporting = system.urls["reporting"]
        year_end = scenario.last_day.isoformat()

        def measures_for(period: str) -> Awaitable[Any]:
            return fetch_json(
                client,
                f"{reporting}/measures",
                reader,
                fiscal_year=scenario.fiscal_year,
                period=period,
                as_of=year_end,
            )

        measures = await wait_until_settled(
            lambda: measures_for("ytd"), drive.tally, on_poll=observer.settling
        )
        observer.phase("reporting")
        monthly = {month: await measures_for(month) for month in _fiscal_months(scenario)}
        document = await fetch_json(
            client, f"{reporting}/dashboard/data", reader, fiscal_year=scenario.fiscal_year
        )
        compliance = await fetch_json(
            client,
            f"{reporting}/compliance",
            reader,
            fiscal_year=scenario.fiscal_year,
            as_of=year_end,
        )
        plans = await _business_plans(client, system, driver, ministry_tokens)

    result = DemoResult(
        scenario,
        drive,
        measures,
        monthly,
        dashboard_document=document,
        compliance=compliance,
        business_plans=plans,
    )
    result.dashboard = write_dashboard(options.dashboard_path, result)
    return result


async def _business_plans(
    client: httpx.AsyncClient,
    system: RunningSystem,
    driver: Driver,
    tokens: dict[str, str],
) -> dict[str, dict[str, Any]]:
    """Each site's business plan as programs shows it, read with its region's token."""
    plans = {}
    for site_id, token in sorted(tokens.items()):
        plan_id = driver.ids.get(f"business-plan:{site_id}")
        if plan_id is not None:
            url = f"{system.urls['programs']}/business-plans/{plan_id}"
            plans[site_id] = await fetch_json(client, url, token)
    return plans


def _consultant_tokens(system: RunningSystem, scenario: Scenario) -> dict[str, str]:
    """Per site, the token of its region's Employment and Training Consultant (all the
    region's sites), who approves business plans and decides Second Career cases."""
    sites = scenario.province.sites
    regions = {site.region for site in sites}
    by_region = {
        region: mint_dev_token(
            system.auth,
            subject=f"demo-consultant-{region}",
            roles=[Role.MINISTRY_CONSULTANT],
            site_ids=[site.site_id for site in sites if site.region == region],
            region=region,
            ttl_s=24 * 3600,
        )
        for region in regions
    }
    return {site.site_id: by_region[site.region] for site in sites}


def _reporting_token(system: RunningSystem) -> str:
    """The demo reads reporting as an administrator, with exact counts: with a few dozen
    clients per site nearly every count is under 5, and a ministry analyst would see
    them suppressed (``services/reporting/app/suppression.py``)."""
    return mint_dev_token(system.auth, subject="demo-operator", roles=[Role.ADMIN], ttl_s=24 * 3600)


def _fiscal_months(scenario: Scenario) -> list[str]:
    first = scenario.first_day
    return [
        date(first.year + (first.month + n - 1) // 12, (first.month + n - 1) % 12 + 1, 1).strftime(
            "%Y-%m"
        )
        for n in range(12)
    ]
