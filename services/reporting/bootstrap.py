"""Reporting's one composition root: ``create_app`` wires settings, fact tables, bus and HTTP.

Nothing is created at import. ``create_app`` composes the chassis's service
wiring (:mod:`chassis.wiring`). The app's lifespan migrates the database,
brings the measures read model up to date (recomputing fiscal years whose
rule book changed) and serves; the measures refresher runs in the background
and, when a broker is configured, so does the facts projection (it creates
its topics). Without a broker the app serves whatever facts its database
holds, with a warning.
"""

from __future__ import annotations

from fastapi import FastAPI

from chassis.http import AuthSettings
from chassis.settings import KafkaSettings
from chassis.wiring import ServiceWiring
from services.reporting.adapters.facts_repository import (
    FactsRepository,
    read_sites_file,
    store_sites_reference,
)
from services.reporting.adapters.measures_refresh import rulebooks_in
from services.reporting.adapters.migrations import VERSIONS
from services.reporting.entrypoints.analyst_release import AnalystViewsRelease
from services.reporting.entrypoints.dashboard import install_dashboard
from services.reporting.entrypoints.dashboard_compliance import dashboard_compliance
from services.reporting.entrypoints.dashboard_suppression import document_filter, small_cells_of
from services.reporting.entrypoints.http import routers
from services.reporting.entrypoints.refresher import MeasuresRefresher
from services.reporting.entrypoints.subscribers import facts_runner
from services.reporting.settings import ReportingSettings

DESCRIPTION = (
    "Employment Service measures and the Service Quality Standard per site, provider, "
    "region and province, computed from facts folded from intake, caseload and programs "
    "events. Errors are application/problem+json."
)


def create_app(
    settings: ReportingSettings | None = None,
    kafka: KafkaSettings | None = None,
    *,
    auth: AuthSettings | None = None,
    local_broker: bool = False,
    run_consumers: bool = True,
) -> FastAPI:
    """Reporting's FastAPI app; ``kafka`` with bootstrap servers runs the facts projection.

    ``run_consumers`` False serves HTTP over the database without consuming.
    Reporting publishes nothing, so it has no outbox relay.
    """
    settings = settings or ReportingSettings()
    auth = auth or AuthSettings()
    wiring = ServiceWiring(settings, kafka, local_broker=local_broker, migrations=[VERSIONS])
    refresher = MeasuresRefresher(
        wiring.engine,
        rulebooks=rulebooks_in(settings.rulebook_directory),
        interval_s=settings.refresh_interval_s,
        site_years_per_pass=settings.refresh_site_years_per_pass,
    )

    async def bring_measures_up_to_date() -> None:
        """Store the sites reference, then recompute every dirty site-year (a changed rule
        book marks its years dirty) before serving."""
        listed = read_sites_file(settings.sites_file) if settings.sites_file else []
        async with wiring.engine.begin() as connection:
            await store_sites_reference(connection, listed)
        await refresher.refresh_everything_dirty()

    wiring.on_start(bring_measures_up_to_date)
    wiring.run_in_background(refresher.run)
    if run_consumers:
        wiring.project(facts_runner)
    app = wiring.create_app(
        title="EOCMS Reporting",
        description=DESCRIPTION,
        auth=auth,
        routers=routers(),
        commands=False,
    )
    app.state.reporting = FactsRepository(
        wiring.engine, settings.sites_file, settings.rulebook_directory
    )
    release = AnalystViewsRelease(
        wiring.engine, app.state.reporting, interval_s=settings.release_interval_s
    )
    wiring.run_in_background(release.run)
    app.state.reporting_time_zone = settings.time_zone
    rulebooks = rulebooks_in(settings.rulebook_directory)
    install_dashboard(
        app,
        auth=auth,
        fiscal_years=sorted(rulebooks),
        compliance=dashboard_compliance,
        suppression=document_filter(small_cells_of(rulebooks)),
    )
    return app
