"""The whole benchmark run: which figures, in which order, against which targets."""

from __future__ import annotations

import asyncio
import logging
import os
import platform
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from benchmarks.append import AppendCase, measure_append
from benchmarks.database import BenchDatabases, fresh_databases, server_settings
from benchmarks.measure import CpuWatch, Measurement, Window
from benchmarks.raw_ceiling import (
    measure_copy,
    measure_insert,
    measure_produce,
    relay_like_messages,
)
from benchmarks.relay import fill_outbox, measure_relay
from benchmarks.report import (
    Results,
    Row,
    Target,
    at_least,
    ratio_at_least,
    server_cpu_at_most,
)
from benchmarks.workload import Workload
from chassis.broker.local import LocalKafkaBroker
from chassis.broker.producer import create_producer
from chassis.broker.topics import ensure_topics
from chassis.settings import KafkaSettings
from contracts.topics import EVENT_TOPICS

SUBJECTS = ("append", "eventsourcing", "raw", "relay", "commands")

Job = tuple[str, str, Callable[[], Awaitable[Measurement]]]
"""Row key, progress text, and the coroutine factory that measures it."""


def median(measurements: list[Measurement]) -> Measurement:
    """The measurement with the median rate (the lower middle one for an even count)."""
    ordered = sorted(measurements, key=lambda m: m.rate)
    return ordered[(len(ordered) - 1) // 2]


BATCH_TARGET = 50_000
RELAY_TARGET = 30_000
LIBRARY_FACTOR = 2.0
RAW_FACTOR = 0.6
RELAY_FACTOR = 0.8
COMMAND_CPU_MS = 2.0
COMMAND_FACTOR = 0.5
COMMAND_ROWS = (
    ("http.intake.register", "intake POST /clients (register a client)"),
    ("http.caseload.open", "caseload POST /service-plans (open a plan)"),
    ("http.caseload.close", "caseload POST …/closure (close a plan)"),
)


@dataclass(frozen=True)
class Config:
    """Sizes of one run; ``scale`` shrinks or grows every duration and count."""

    scale: float = 1.0
    duration_s: float = 2.0
    writers: int = 8
    batch_size: int = 100
    relay_events: int = 100_000
    copy_batches: tuple[int, ...] = (100, 1000, 10_000)
    admin_url: str | None = None
    subjects: tuple[str, ...] = SUBJECTS
    repeat: int = 3
    commands: int = 1500
    command_concurrency: int = 8

    @property
    def command_count(self) -> int:
        """Commands of each kind in the HTTP figures."""
        return max(20, int(self.commands * self.scale))

    @property
    def timed_s(self) -> float:
        """Timed window of each throughput figure."""
        return max(0.2, self.duration_s * self.scale)

    @property
    def warmup_s(self) -> float:
        """Untimed warm-up before each window (connections, prepared statements)."""
        return min(1.0, max(0.1, self.timed_s * 0.15))

    @property
    def events(self) -> int:
        """Events in the outbox for the relay figure (and records for the producer figure)."""
        return max(500, int(self.relay_events * self.scale))


def row_plan(config: Config) -> list[Row]:
    """Every row of the table, in order."""
    n = config.writers
    b = config.batch_size
    rows: list[Row] = []
    shapes = [
        ("single-new", "single events, new stream each"),
        ("single-own", "single events, own aggregate stream"),
        ("batch", f"batches of {b}, new stream each"),
    ]
    for section, prefix in (
        ("Appends through the unit of work (as services append)", "ours"),
        ("eventsourcing 9.5", "es"),
    ):
        for shape, text in shapes:
            for writers in (1, n):
                key = f"{prefix}.{shape}.{writers}"
                raw = f"raw.insert.{writers}" if shape != "batch" else f"raw.copy{b}.{writers}"
                label = f"{text}, {writers} writer{'s' if writers > 1 else ''}"
                if prefix == "ours" and shape == "single-own" and writers == n:
                    label = f"★ concurrent single-aggregate appends, {n} writers"
                rows.append(
                    Row(
                        key,
                        label,
                        section,
                        compare_library=f"es.{shape}.{writers}" if prefix == "ours" else None,
                        compare_raw=raw,
                    )
                )
    for connections in (1, n):
        rows.append(
            Row(
                f"raw.insert.{connections}",
                f"asyncpg INSERT 1 row/tx, {connections} conn",
                "Raw ceiling",
            )
        )
    for size in config.copy_batches:
        for connections in (1, n) if size == b else (1,):
            rows.append(
                Row(
                    f"raw.copy{size}.{connections}",
                    f"asyncpg COPY {size} rows/tx, {connections} conn",
                    "Raw ceiling",
                )
            )
    rows.append(
        Row("kafka.produce", "aiokafka produce (relay's records)", "Raw ceiling", broker=True)
    )
    rows.append(
        Row(
            "relay.drain",
            f"OutboxRelay.run() as services run it, {config.events:,} events",
            "Relay to broker",
            compare_raw="kafka.produce",
            broker=True,
        )
    )
    section = "HTTP commands (commands/s; server CPU per command in the target column)"
    rows.append(Row("http.bare", "bare FastAPI + asyncpg, one INSERT (ceiling)", section))
    for key, label in COMMAND_ROWS:
        rows.append(Row(key, label, section, compare_raw="http.bare"))
    return rows


def target_plan(config: Config) -> list[Target]:
    """The targets of the issue, attached to their rows."""
    n = config.writers
    star = f"ours.single-own.{n}"
    return [
        at_least("ours.batch.1", BATCH_TARGET),
        at_least(f"ours.batch.{n}", BATCH_TARGET),
        at_least("relay.drain", RELAY_TARGET),
        ratio_at_least(star, f"es.single-own.{n}", LIBRARY_FACTOR, "es"),
        ratio_at_least(star, f"raw.insert.{n}", RAW_FACTOR, "raw"),
        ratio_at_least("relay.drain", "kafka.produce", RELAY_FACTOR, "produce"),
        *(server_cpu_at_most(key, COMMAND_CPU_MS) for key, _ in COMMAND_ROWS),
        *(ratio_at_least(key, "http.bare", COMMAND_FACTOR, "bare") for key, _ in COMMAND_ROWS),
        server_cpu_at_most("http.bare", COMMAND_CPU_MS),
    ]


@dataclass
class Runner:
    """Runs the planned measurements, with progress shown on ``console``."""

    config: Config
    console: Console
    results: Results = field(default_factory=Results)

    async def run(self) -> Results:
        """Create the databases and the broker, measure everything, clean up."""
        config = self.config
        self.results.context.update(machine_context())
        self.results.context["config"] = {
            "scale": config.scale,
            "timed_s": config.timed_s,
            "warmup_s": config.warmup_s,
            "writers": config.writers,
            "batch_size": config.batch_size,
            "relay_events": config.events,
            "repeat": config.repeat,
        }
        admin = config.admin_url or None
        async with fresh_databases(*(admin,) if admin else ()) as databases:
            settings = await server_settings(databases.dsn)
            self.results.context["postgres"] = settings
            self.console.print(
                "[bold]PostgreSQL[/bold] " + ", ".join(f"{k}={v}" for k, v in settings.items())
            )
            self.console.print(
                f"[bold]Databases[/bold] {databases.dsn.rsplit('/', 1)[-1]} (+ _es), "
                f"timed window {config.timed_s:g} s per figure after {config.warmup_s:g} s warm-up"
            )
            watch = CpuWatch(databases=[databases.dsn.rsplit("/", 1)[-1], databases.es_name])
            workload = Workload.build()
            needs_broker = {"relay", "commands"} & set(config.subjects)
            broker = LocalKafkaBroker() if needs_broker else None
            if broker is not None:
                # aiokafka logs every refused connection while the broker boots
                logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
                await broker.start()
                logging.getLogger("aiokafka").setLevel(logging.WARNING)
                process = getattr(broker, "_process", None)
                watch.broker_pid = process.pid if process is not None else None
            try:
                await self._measure_all(databases, workload, watch, broker)
            finally:
                if broker is not None:
                    await broker.stop()
        return self.results

    async def _measure_all(
        self,
        databases: BenchDatabases,
        workload: Workload,
        watch: CpuWatch,
        broker: LocalKafkaBroker | None,
    ) -> None:
        config = self.config
        jobs = self._plan_jobs(databases, workload, Window(config.timed_s, config.warmup_s, watch))
        samples: dict[str, list[Measurement]] = {}
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        ) as progress:
            relay_steps = 3 if "relay" in config.subjects else 0
            relay_steps += 1 if "commands" in config.subjects else 0
            overall = progress.add_task("benchmarks", total=len(jobs) * config.repeat + relay_steps)
            for round_ in range(1, config.repeat + 1):
                for key, text, job in jobs:
                    progress.update(overall, description=text)
                    measurement = await job()
                    samples.setdefault(key, []).append(measurement)
                    self.results.measurements[key] = median(samples[key])
                    self.results.samples[key] = [m.rate for m in samples[key]]
                    progress.update(overall, advance=1)
                    tag = f" (round {round_})" if config.repeat > 1 else ""
                    progress.console.log(
                        f"{text}{tag}: {measurement.rate:,.0f} events/s  "
                        f"[{measurement.cpu.describe()}]"
                    )
            if broker is not None and "commands" in config.subjects:
                await self._measure_commands(databases, broker, watch, progress, overall)
            if broker is not None and "relay" in config.subjects:
                await self._measure_broker(
                    broker,
                    databases.sqlalchemy_url,
                    databases.dsn,
                    workload,
                    watch,
                    progress,
                    overall,
                )

    def _plan_jobs(
        self, databases: BenchDatabases, workload: Workload, window: Window
    ) -> list[Job]:
        """The database measurements in run order.

        Figures that are compared with each other run next to each other (ours,
        the library, then the raw ceiling of that shape), so a
        change in the machine's load during the run hits both sides alike.
        """
        config = self.config
        n, b = config.writers, config.batch_size
        subjects = config.subjects
        url, dsn = databases.sqlalchemy_url, databases.dsn
        jobs: list[Job] = []
        for shape in ("single-new", "single-own", "batch"):
            for writers in (1, n):
                case = AppendCase(shape, writers, b if shape == "batch" else 1)
                suffix = f"{shape}.{writers}"
                if "append" in subjects:
                    jobs.append(
                        (
                            f"ours.{suffix}",
                            f"our store: {suffix}",
                            partial(measure_append, url, dsn, workload, case, window),
                        )
                    )
                if "eventsourcing" in subjects:
                    # imported here: the library (and psycopg-pool) is only needed for its rows
                    from benchmarks.eventsourcing_reference import measure_library

                    jobs.append(
                        (
                            f"es.{suffix}",
                            f"eventsourcing: {suffix}",
                            partial(
                                asyncio.to_thread,
                                measure_library,
                                databases,
                                workload,
                                case,
                                window,
                            ),
                        )
                    )
                if "raw" in subjects and shape == "single-own":
                    jobs.append(
                        (
                            f"raw.insert.{writers}",
                            f"raw INSERT, {writers} conn",
                            partial(measure_insert, dsn, workload, writers, window),
                        )
                    )
                if "raw" in subjects and shape == "batch":
                    jobs.append(
                        (
                            f"raw.copy{b}.{writers}",
                            f"raw COPY {b}, {writers} conn",
                            partial(measure_copy, dsn, workload, b, writers, window),
                        )
                    )
        if "raw" in subjects:
            for size in config.copy_batches:
                if size != b:
                    jobs.append(
                        (
                            f"raw.copy{size}.1",
                            f"raw COPY {size}, 1 conn",
                            partial(measure_copy, dsn, workload, size, 1, window),
                        )
                    )
        return jobs

    async def _measure_commands(
        self,
        databases: BenchDatabases,
        broker: LocalKafkaBroker,
        watch: CpuWatch,
        progress: Progress,
        overall: object,
    ) -> None:
        from benchmarks.commands import measure_commands

        config = self.config
        progress.update(overall, description="HTTP commands (services as processes)")  # type: ignore[arg-type]
        await ensure_topics(
            broker.bootstrap_servers,
            EVENT_TOPICS.values(),
            partitions=KafkaSettings().topic_partitions,
        )
        with tempfile.TemporaryDirectory(prefix="eocms-bench-") as log_dir:
            figures = await measure_commands(
                databases.admin_dsn,
                broker.bootstrap_servers,
                Path(log_dir),
                CpuWatch(databases=[], broker_pid=watch.broker_pid),
                count=config.command_count,
                concurrency=config.command_concurrency,
            )
        self.results.measurements.update(figures)
        for key, m in figures.items():
            progress.console.log(
                f"{key}: {m.rate:,.0f} commands/s, {m.server_cpu_ms_per_event:.2f} ms server CPU"
            )
        progress.update(overall, advance=1)  # type: ignore[arg-type]

    async def _measure_broker(
        self,
        broker: LocalKafkaBroker,
        url: str,
        dsn: str,
        workload: Workload,
        watch: CpuWatch,
        progress: Progress,
        overall: object,
    ) -> None:
        config = self.config
        settings = KafkaSettings()
        raw_topic = f"bench.raw.{uuid.uuid4().hex[:8]}"
        await ensure_topics(
            broker.bootstrap_servers,
            [*EVENT_TOPICS.values(), raw_topic],
            partitions=settings.topic_partitions,
        )
        producer = create_producer(
            settings, local_broker=True, bootstrap_servers=broker.bootstrap_servers
        )
        await producer.start()
        task = overall  # rich's TaskID
        try:
            progress.update(task, description="aiokafka produce (raw ceiling)")  # type: ignore[arg-type]
            messages = relay_like_messages(workload, raw_topic, config.events)
            self.results.context["record_value_bytes"] = round(
                sum(len(m.value) for m in messages) / len(messages)
            )
            self.results.measurements["kafka.produce"] = await measure_produce(
                producer, messages, watch
            )
            del messages
            progress.console.log(
                f"aiokafka produce: {self.results.rate('kafka.produce'):,.0f} events/s"
            )
            progress.update(task, advance=1, description="filling the outbox")  # type: ignore[arg-type]
            await fill_outbox(url, dsn, workload, config.events)
            progress.update(task, advance=1, description="relay drain")  # type: ignore[arg-type]
            self.results.measurements["relay.drain"] = await measure_relay(
                url, dsn, producer, config.events, watch
            )
            progress.console.log(f"relay drain: {self.results.rate('relay.drain'):,.0f} events/s")
            progress.update(task, advance=1, description="done")  # type: ignore[arg-type]
        finally:
            await producer.stop()


def machine_context() -> dict[str, object]:
    """What the figures were measured on."""
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(memory_gib, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
