"""The reporting benchmark run: province on the broker, then each figure, against its target.

Order: load the synthetic province onto a local broker (setup, timed but not
a reporting figure); raw aiokafka consume and the facts projection over it
(``throughput``); ``rebuild_read_model`` of the projected database, which is
``eocms projections rebuild`` without the command line (``rebuild``); ``/sqs``
for every site over the rebuilt, refreshed database (``sqs``); finally, on a
broker and databases of their own, the services under a steady command load
(``freshness``).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from benchmarks.measure import CpuShare, CpuWatch, Measurement, process_cpu_seconds
from benchmarks.province import (
    FULL_CLIENTS,
    FULL_SITES,
    ProvinceShape,
    ProvinceStats,
    generate,
    loading_producer,
    produce,
)
from benchmarks.reporting_freshness import (
    FISCAL_YEAR,
    FreshnessConfig,
    background_shape,
    measure_freshness,
)
from benchmarks.reporting_latency import Latencies, measure_sqs
from benchmarks.reporting_services import bearer, start_service
from benchmarks.reporting_setup import (
    Database,
    broker_pid,
    local_broker,
    run_databases,
    wait_until_caught_up,
)
from benchmarks.reporting_throughput import measure_projection, measure_raw_consume
from benchmarks.suite import machine_context
from chassis.database import create_engine
from services.reporting.adapters.facts_projection import GROUP_ID, FactsProjection
from services.reporting.adapters.migrations import VERSIONS as REPORTING_VERSIONS
from services.reporting.settings import ReportingSettings

SUBJECTS = ("throughput", "rebuild", "sqs", "freshness")

PROJECTION_TARGET = 50_000
"""Events/s of the facts projection (issue #4)."""
PROJECTION_RATIO_GOAL = 0.5
"""Long-term goal: the projection at half of plain aiokafka's consume rate or better."""
REBUILD_TARGET_S = 60.0
FRESHNESS_P99_TARGET_MS = 500.0
SQS_P95_TARGET_MS = 50.0


@dataclass(frozen=True)
class ReportingConfig:
    """Sizes of one run; ``scale`` shrinks the province (sites and clients alike)."""

    scale: float = 1.0
    sites: int | None = None
    clients: int | None = None
    subjects: tuple[str, ...] = SUBJECTS
    admin_url: str = "postgresql://postgres@127.0.0.1:5432/postgres"
    max_records: int = 1000
    sqs_requests: int = 200
    freshness: FreshnessConfig = field(default_factory=FreshnessConfig)

    @property
    def shape(self) -> ProvinceShape:
        """The province to generate."""
        scaled = ProvinceShape.scaled(self.scale)
        return ProvinceShape(
            sites=self.sites or scaled.sites, clients=self.clients or scaled.clients
        )


@dataclass(frozen=True)
class Figure:
    """One line of the table."""

    key: str
    label: str
    value: str
    detail: str = ""
    target: str = ""
    met: bool | None = None
    verdict: str = ""
    cpu: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReportingResults:
    """Every figure of a run, in order, and the run's context."""

    figures: dict[str, Figure] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    """Parts of the run that failed, with the error (their figures are missing)."""

    def add(self, figure: Figure) -> None:
        """Record (or replace) a figure."""
        self.figures[figure.key] = figure


def _cpu(cpu: CpuShare) -> str:
    return cpu.describe(broker=True)


def _rate_data(m: Measurement) -> dict[str, Any]:
    return {
        "events": m.events,
        "seconds": round(m.seconds, 3),
        "events_per_s": round(m.rate, 1),
        "events_per_cpu_s": round(m.per_cpu_second, 1),
        "cpu_percent": _cpu_data(m.cpu),
    }


def _cpu_data(cpu: CpuShare) -> dict[str, float]:
    return {
        "python": round(cpu.python, 1),
        "postgres": round(cpu.postgres, 1),
        "broker": round(cpu.broker, 1),
        "other": round(cpu.other, 1),
    }


def _latency_data(latencies: Latencies) -> dict[str, Any]:
    return {
        "samples": latencies.count,
        "p50_ms": round(latencies.percentile(50), 2),
        "p95_ms": round(latencies.percentile(95), 2),
        "p99_ms": round(latencies.percentile(99), 2),
        "max_ms": round(latencies.percentile(100), 2),
        "note": latencies.note,
    }


@dataclass
class ReportingRunner:
    """Runs the planned figures, with progress on ``console``."""

    config: ReportingConfig
    console: Console
    results: ReportingResults = field(default_factory=ReportingResults)

    async def run(self) -> ReportingResults:
        """Everything the configuration asks for; databases and brokers are cleaned up."""
        config, shape = self.config, self.config.shape
        self.results.context.update(machine_context())
        self.results.context["province"] = {
            "sites": shape.sites,
            "clients": shape.clients,
            "fiscal_year": shape.fiscal_year,
            "seed": shape.seed,
        }
        self.results.context["subjects"] = list(config.subjects)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
        ) as progress:
            self.progress = progress
            if {"throughput", "rebuild", "sqs"} & set(config.subjects):
                await self._guarded("province", self._province_figures(shape))
            if "freshness" in config.subjects:
                await self._guarded("freshness", self._freshness())
        return self.results

    async def _guarded(self, part: str, work: Coroutine[Any, Any, None]) -> None:
        """Run one part; a failure is recorded as a figure, and the other part still runs."""
        try:
            await work
        except Exception as error:
            self.results.failures[part] = repr(error)
            self.results.add(Figure(f"{part}.failed", f"{part}: FAILED", repr(error)[:300]))
            self._stage(f"[red]{part} failed:[/red] {error!r}")

    def _stage(self, text: str) -> None:
        self.progress.console.log(text)

    async def _province_figures(self, shape: ProvinceShape) -> None:
        config = self.config
        async with run_databases(config.admin_url) as databases, local_broker() as broker:
            live = await databases.create("reporting", [REPORTING_VERSIONS])
            watch = CpuWatch(databases=[live.name], broker_pid=broker_pid(broker))
            total = await self._load(shape, broker.bootstrap_servers, watch)
            servers = broker.bootstrap_servers
            if "throughput" in config.subjects:
                await self._throughput(live, servers, total, watch)
            if "rebuild" in config.subjects:
                await self._rebuild(live, servers, total, watch)
            elif "sqs" in config.subjects:
                if "throughput" not in config.subjects:
                    self._stage("projecting the province for /sqs (untimed)")
                    await measure_projection(live.url, servers, total, watch)
                await self._refresh_all(live)
            if "sqs" in config.subjects:
                await self._sqs(live, shape, watch)

    async def _load(self, shape: ProvinceShape, servers: str, watch: CpuWatch) -> int:
        stats = ProvinceStats()
        task = self.progress.add_task(
            f"producing the province ({shape.sites} sites, {shape.clients:,} clients)",
            total=shape.expected_events,
        )
        producer = loading_producer(servers)
        await producer.start()
        try:
            cpu_start = watch.sample()
            events, seconds = await produce(
                producer,
                generate(shape, stats),
                on_chunk=lambda n: self.progress.update(task, advance=n),
            )
            cpu = CpuShare.between(cpu_start, watch.sample(), seconds)
        finally:
            await producer.stop()
        self.progress.update(task, total=events, completed=events)
        self.results.context["province"].update(
            {"events": events, "plans": stats.plans, "closed_plans": stats.closed_plans}
        )
        self.results.context["province"]["by_topic"] = stats.by_topic
        measurement = Measurement(events, seconds, cpu, 1)
        self.results.add(
            Figure(
                "setup.produce",
                "generate + produce the province (setup)",
                f"{measurement.rate:,.0f} events/s",
                f"{events:,} events in {seconds:.1f} s; {stats.plans:,} plans",
                cpu=_cpu(cpu),
                data=_rate_data(measurement),
            )
        )
        self._stage(f"province on the broker: {events:,} events in {seconds:.1f} s")
        return events

    async def _throughput(self, live: Database, servers: str, total: int, watch: CpuWatch) -> None:
        for decode, key, label in (
            (False, "raw.consume", "aiokafka consume, values not decoded"),
            (True, "raw.consume.json", "aiokafka consume + json.loads of each value"),
        ):
            task = self.progress.add_task(label, total=None)
            m = await measure_raw_consume(servers, total, watch, decode=decode)
            self.progress.update(task, total=m.events, completed=m.events)
            self.results.add(
                Figure(
                    key,
                    label,
                    f"{m.rate:,.0f} events/s",
                    f"{m.events:,} events in {m.seconds:.1f} s",
                    cpu=_cpu(m.cpu),
                    data=_rate_data(m),
                )
            )
        task = self.progress.add_task("facts projection → PostgreSQL", total=total)
        m, startup = await measure_projection(
            live.url, servers, total, watch, max_records=self.config.max_records
        )
        self.progress.update(task, completed=total)
        raw = self.results.figures["raw.consume"].data["events_per_s"]
        ratio = m.rate / raw if raw else 0.0
        met = m.rate >= PROJECTION_TARGET
        self.results.add(
            Figure(
                "projection",
                f"FactsProjection via ProjectionRunner, batches ≤ {self.config.max_records}",
                f"{m.rate:,.0f} events/s",
                f"{m.events:,} events in {m.seconds:.1f} s (+{startup:.1f} s group join); "
                f"{ratio:.3f}x raw consume (goal ≥ {PROJECTION_RATIO_GOAL}x)",
                target=f"≥ {PROJECTION_TARGET:,}/s",
                met=met,
                verdict=f"{m.rate / PROJECTION_TARGET:.2f}x of target",
                cpu=_cpu(m.cpu),
                data={**_rate_data(m), "startup_s": round(startup, 2), "ratio_to_raw": ratio},
            )
        )
        self._stage(f"projection: {m.rate:,.0f} events/s ({ratio:.3f}x raw consume)")

    async def _rebuild(self, live: Database, servers: str, total: int, watch: CpuWatch) -> None:
        from services.reporting.adapters.rebuild import RebuildProgress, rebuild_read_model

        task = self.progress.add_task("rebuild: replay into fresh tables", total=total)
        phases: dict[str, float] = {}
        began = time.perf_counter()

        def on_progress(update: RebuildProgress) -> None:
            phases.setdefault(update.phase, time.perf_counter() - began)
            self.progress.update(
                task,
                description=f"rebuild: {update.phase}",
                completed=update.replayed,
                total=max(update.total, 1),
            )

        engine = create_engine(live.url, pool_size=2)
        try:
            cpu_start = watch.sample()
            started = time.perf_counter()
            summary = await rebuild_read_model(
                engine,
                bootstrap_servers=servers,
                live=FactsProjection(name=GROUP_ID),
                enable_idempotence=False,
                on_progress=on_progress,
            )
            seconds = time.perf_counter() - started
            cpu = CpuShare.between(cpu_start, watch.sample(), seconds)
        finally:
            await engine.dispose()
        shape = self.config.shape
        full_events = summary.events_replayed * FULL_CLIENTS / shape.clients
        extrapolated = seconds * full_events / max(1, summary.events_replayed)
        at_full = (
            self.config.shape.sites >= FULL_SITES and self.config.shape.clients >= FULL_CLIENTS
        )
        shown = seconds if at_full else extrapolated
        spans = _phase_spans(phases, seconds)
        detail = (
            f"{summary.events_replayed:,} events, {summary.site_years_refreshed} site-years "
            f"refreshed; {spans}"
        )
        if not at_full:
            detail += (
                f"; EXTRAPOLATED linearly to {FULL_CLIENTS:,} clients "
                f"(~{full_events / 1e6:.1f}M events): {extrapolated:.0f} s"
            )
        self.results.add(
            Figure(
                "rebuild",
                "rebuild_read_model (eocms projections rebuild)",
                f"{seconds:.1f} s",
                detail,
                target=f"≤ {REBUILD_TARGET_S:.0f} s at full size",
                met=shown <= REBUILD_TARGET_S,
                verdict=("measured" if at_full else "extrapolated") + f" {shown:.0f} s",
                cpu=_cpu(cpu),
                data={
                    "seconds": round(seconds, 2),
                    "events": summary.events_replayed,
                    "events_per_s": round(summary.events_replayed / seconds, 1),
                    "site_years_refreshed": summary.site_years_refreshed,
                    "phases_started_at_s": {k: round(v, 2) for k, v in phases.items()},
                    "full_size": at_full,
                    "extrapolated_full_s": round(extrapolated, 1),
                    "cpu_percent": _cpu_data(cpu),
                },
            )
        )
        self._stage(f"rebuild: {seconds:.1f} s for {summary.events_replayed:,} events ({spans})")

    async def _refresh_all(self, live: Database) -> None:
        """Compute the measures of every site-year the projected facts hold (untimed)."""
        from services.reporting.adapters.measures_refresh import refresh_all

        engine = create_engine(live.url, pool_size=1)
        try:
            async with engine.begin() as connection:
                await refresh_all(connection)
        finally:
            await engine.dispose()

    async def _sqs(self, live: Database, shape: ProvinceShape, watch: CpuWatch) -> None:
        task = self.progress.add_task("GET /sqs, all sites", total=self.config.sqs_requests)
        with tempfile.TemporaryDirectory(prefix="eocms-rbench-") as log_dir:
            service = start_service(
                "reporting", database_url=live.url, bootstrap_servers=None, log_dir=Path(log_dir)
            )
            try:
                await service.wait_ready()
                service_cpu = process_cpu_seconds(service.process.pid)
                latencies = await measure_sqs(
                    service.base_url,
                    bearer("ministry_analyst"),
                    FISCAL_YEAR,
                    self.config.sqs_requests,
                    watch,
                    expected_sites=shape.sites,
                )
                service_cpu = process_cpu_seconds(service.process.pid) - service_cpu
            finally:
                service.stop()
        service_percent = 100 * service_cpu / latencies.seconds if latencies.seconds else 0.0
        per_request = 1000 * service_cpu / max(1, latencies.count)
        self.progress.update(task, completed=self.config.sqs_requests)
        p95 = latencies.percentile(95)
        self.results.add(
            Figure(
                "sqs",
                f"GET /sqs?fiscal_year={FISCAL_YEAR} (all sites), sequential",
                f"p50 {latencies.percentile(50):.1f} ms, p95 {p95:.1f} ms",
                f"{latencies.count} requests; {latencies.note}; "
                f"max {latencies.percentile(100):.1f} ms; reporting process "
                f"{service_percent:.0f} % CPU, {per_request:.1f} ms CPU per request",
                target=f"p95 < {SQS_P95_TARGET_MS:.0f} ms",
                met=p95 < SQS_P95_TARGET_MS,
                verdict=f"p95 {p95:.1f} ms",
                cpu=_cpu(latencies.cpu),
                data={
                    **_latency_data(latencies),
                    "service_cpu_percent": round(service_percent, 1),
                    "service_cpu_ms_per_request": round(per_request, 2),
                },
            )
        )

    async def _freshness(self) -> None:
        config = self.config
        fresh = config.freshness
        task = self.progress.add_task("freshness", total=None)

        def on_stage(text: str) -> None:
            self.progress.update(task, description=f"freshness: {text}")
            self._stage(f"freshness: {text}")

        async with run_databases(config.admin_url) as databases, local_broker() as broker:
            history = background_shape(fresh)
            history_events = 0
            history_stats = ProvinceStats(eligible_by_site={})
            if history is not None:
                on_stage(
                    f"producing the sites' history ({history.sites} sites, "
                    f"{history.clients:,} clients)"
                )
                producer = loading_producer(broker.bootstrap_servers)
                await producer.start()
                try:
                    history_events, _ = await produce(producer, generate(history, history_stats))
                finally:
                    await producer.stop()
            on_stage("starting intake, caseload and reporting")
            urls = {}
            names = []
            for name in ("intake", "caseload", "reporting"):
                database = await databases.create(name, migrated=False)  # services migrate
                urls[name] = database.url
                names.append(database.name)
            watch = CpuWatch(databases=names, broker_pid=broker_pid(broker))
            with tempfile.TemporaryDirectory(prefix="eocms-rbench-") as log_dir:
                services = [
                    start_service(
                        name,
                        database_url=urls[name],
                        bootstrap_servers=broker.bootstrap_servers,
                        log_dir=Path(log_dir),
                    )
                    for name in ("intake", "caseload", "reporting")
                ]
                settings = ReportingSettings()

                async def caught_up() -> None:
                    await wait_until_caught_up(broker.bootstrap_servers, settings.facts_group)

                try:
                    for service in services:
                        await service.wait_ready()
                    intake, caseload, reporting = services
                    result = await measure_freshness(
                        intake.base_url,
                        caseload.base_url,
                        reporting.base_url,
                        fresh,
                        watch,
                        caught_up=caught_up,
                        on_stage=on_stage,
                        service_pids={s.name: s.process.pid for s in services},
                        eligible_by_site=history_stats.eligible_by_site,
                    )
                finally:
                    for service in services:
                        service.stop()
        self.progress.update(task, total=1, completed=1)
        f = result.freshness
        p99 = f.percentile(99)
        failed = (
            f", {result.commands_failed} failed ({'; '.join(result.failures[:2])})"
            if result.commands_failed
            else ""
        )
        self.results.add(
            Figure(
                "freshness",
                "freshness: closure 2xx → visible in /measures",
                f"p50 {f.percentile(50):.0f} ms, p99 {p99:.0f} ms",
                f"{f.note}; {result.probe_timeouts} timed out; max {f.percentile(100):.0f} ms; "
                f"sites' history: {history_events:,} events",
                target=f"p99 < {FRESHNESS_P99_TARGET_MS:.0f} ms",
                met=(p99 < FRESHNESS_P99_TARGET_MS and f.count > 0 and not result.probe_timeouts),
                verdict=f"p99 {p99:.0f} ms",
                cpu=_cpu(f.cpu),
                data={
                    **_latency_data(f),
                    "probe_timeouts": result.probe_timeouts,
                    "history_events": history_events,
                },
            )
        )
        c = result.command_ms
        services_cpu = ", ".join(f"{k} {v:.0f}" for k, v in result.service_cpu_percent.items())
        caseload_cpu = result.service_cpu_percent.get("caseload", 0.0)
        commands_per_s = result.commands_sent / c.seconds if c.seconds else 0.0
        per_command = 10 * caseload_cpu / commands_per_s if commands_per_s else 0.0
        self.results.add(
            Figure(
                "freshness.load",
                f"caseload commands at {fresh.rate:g}/s for {fresh.duration_s:g} s (the load)",
                f"{result.achieved_rate:,.0f} commands/s",
                f"{result.commands_sent:,} sent{failed}; latency p50 {c.percentile(50):.0f} ms, "
                f"p99 {c.percentile(99):.0f} ms; preparation {result.prepare_s:.0f} s; "
                f"service CPU %: {services_cpu} (caseload ≈ {per_command:.1f} ms CPU per command)",
                cpu=_cpu(c.cpu),
                data={
                    **_latency_data(c),
                    "achieved_rate": round(result.achieved_rate, 1),
                    "commands_sent": result.commands_sent,
                    "commands_failed": result.commands_failed,
                    "failures": result.failures,
                    "prepare_s": round(result.prepare_s, 1),
                    "service_cpu_percent": result.service_cpu_percent,
                    "caseload_cpu_ms_per_command": round(per_command, 2),
                },
            )
        )


def _phase_spans(phases: dict[str, float], total: float) -> str:
    """``replay 41.0 s, refresh 3.2 s, ...`` from the phases' start times."""
    ordered = sorted(phases.items(), key=lambda item: item[1])
    spans = []
    for index, (phase, start) in enumerate(ordered):
        end = ordered[index + 1][1] if index + 1 < len(ordered) else total
        if phase != "done" and end - start >= 0.05:
            spans.append(f"{phase} {end - start:.1f} s")
    return ", ".join(spans)


def build_table(results: ReportingResults) -> Table:
    """The figures of a run as one rich table."""
    province = results.context.get("province", {})
    caption = "CPU % per party, 100 = one core (service processes count as 'other')"
    if province.get("events"):
        caption = (
            f"province: {province['sites']} sites, {province['clients']:,} clients, "
            f"{province['events']:,} events; {caption}"
        )
    table = Table(title="EOCMS reporting benchmarks", caption=caption)
    for column in ("Measurement", "figure", "detail", "target", "met?", "CPU %"):
        table.add_column(column, no_wrap=column not in ("detail",))
    for figure in results.figures.values():
        verdict = ""
        if figure.met is not None:
            colour = "green" if figure.met else "red"
            verdict = f"[{colour}]{'met' if figure.met else 'not met'}[/{colour}] {figure.verdict}"
        table.add_row(figure.label, figure.value, figure.detail, figure.target, verdict, figure.cpu)
    return table


def as_json(results: ReportingResults) -> dict[str, Any]:
    """The run as plain data."""
    return {
        "context": results.context,
        "failures": results.failures,
        "figures": {
            key: {
                "label": f.label,
                "value": f.value,
                "detail": f.detail,
                "target": f.target,
                "met": f.met,
                **f.data,
            }
            for key, f in results.figures.items()
        },
    }
