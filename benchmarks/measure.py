"""Timing and CPU accounting shared by every benchmark.

A figure is a count of events over a wall-clock interval, with the CPU time
spent in that interval by this Python process, by the PostgreSQL processes
serving it, and by the broker, so the table can say where the time went on a
2-core machine where client and server compete for the same cores.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            text = stat.read()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def host_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])
    return (total - idle) / _CLOCK_TICKS, total / _CLOCK_TICKS


SERVER_AUXILIARIES = ("walwriter", "checkpointer", "background writer", "autovacuum")
"""Server processes that work for every database: WAL writing, checkpoints, vacuum."""


def postgres_pids(databases: Iterable[str]) -> list[int]:
    """Local PostgreSQL processes serving ``databases``, plus the WAL and vacuum machinery.

    Backends are recognised by their process title, which names their database;
    other databases' backends (someone else's tests) are left out.
    """
    wanted = tuple(databases) + SERVER_AUXILIARIES
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                title = cmdline.read().decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and any(name in title for name in wanted):
            pids.append(int(entry))
    return pids


@dataclass
class CpuWatch:
    """Which processes to account: the run's database backends and the broker."""

    databases: list[str] = field(default_factory=list)
    broker_pid: int | None = None

    def sample(self) -> CpuSample:
        """CPU seconds so far of this process, the server processes, the broker, the host."""
        busy, total = host_busy_seconds()
        return CpuSample(
            python=time.process_time(),
            postgres=sum(process_cpu_seconds(pid) for pid in postgres_pids(self.databases)),
            broker=process_cpu_seconds(self.broker_pid) if self.broker_pid else 0.0,
            host_busy=busy,
            host_total=total,
        )


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds at one instant (see :meth:`CpuWatch.sample`)."""

    python: float
    postgres: float
    broker: float
    host_busy: float
    host_total: float


@dataclass(frozen=True)
class CpuShare:
    """CPU used over an interval, in percent of one core (200 % = both cores)."""

    python: float
    postgres: float
    broker: float
    host: float

    @classmethod
    def between(cls, start: CpuSample, end: CpuSample, seconds: float) -> CpuShare:
        """The share of each party between two samples ``seconds`` apart."""
        cores = os.cpu_count() or 1
        total = end.host_total - start.host_total
        host = 100.0 * cores * (end.host_busy - start.host_busy) / total if total else 0.0

        def pct(a: float, b: float) -> float:
            return 100.0 * (b - a) / seconds if seconds > 0 else 0.0

        return cls(
            python=pct(start.python, end.python),
            postgres=pct(start.postgres, end.postgres),
            broker=pct(start.broker, end.broker),
            host=host,
        )

    @property
    def other(self) -> float:
        """Host CPU not spent by us, our server processes or the broker: other tenants."""
        return max(0.0, self.host - self.python - self.postgres - self.broker)

    def describe(self, broker: bool = False) -> str:
        """Short text for the table: py / pg [/ kafka] / anything else on the host."""
        parts = [f"py {self.python:.0f}", f"pg {self.postgres:.0f}"]
        if broker:
            parts.append(f"kafka {self.broker:.0f}")
        parts.append(f"other {self.other:.0f}")
        return " ".join(parts)


@dataclass(frozen=True)
class Measurement:
    """Events completed in an interval and the CPU spent meanwhile."""

    events: int
    seconds: float
    cpu: CpuShare
    operations: int = 0
    server_cpu_s: float = 0.0
    """CPU seconds of the server process under test (HTTP figures; 0 otherwise)."""

    @property
    def server_cpu_ms_per_event(self) -> float:
        """Milliseconds of the server process' CPU per event (per command)."""
        return 1000.0 * self.server_cpu_s / self.events if self.events else 0.0

    @property
    def rate(self) -> float:
        """Events per second."""
        return self.events / self.seconds if self.seconds > 0 else 0.0

    @property
    def per_cpu_second(self) -> float:
        """Events per CPU-second spent by this process, the server and the broker.

        Steadier than :attr:`rate` when other tenants load the machine: it
        counts the work each event costs, not how much CPU was left over.
        """
        cpu = (self.cpu.python + self.cpu.postgres + self.cpu.broker) / 100.0 * self.seconds
        return self.events / cpu if cpu > 0 else 0.0


@dataclass(frozen=True)
class Window:
    """How long to warm up and then time each throughput figure, and what CPU to watch."""

    duration_s: float
    warmup_s: float
    watch: CpuWatch


WARMUP_LIMIT_S = 30.0
"""Longest wait, after the warm-up time, for every writer's first operation."""

AsyncStep = Callable[[], Awaitable[int]]
"""One operation of one writer; returns how many events it wrote."""


async def run_async_writers(steps: Iterable[AsyncStep], window: Window) -> Measurement:
    """Run concurrent writers, each repeating its step, for the window after a warm-up.

    Each writer is a coroutine calling its step back to back. Only operations
    that finish within the timed window count; the warm-up (connections,
    prepared statements, caches) is discarded, and lasts until every writer
    has finished at least one operation.
    """
    steps = list(steps)
    duration_s, warmup_s, watch = window.duration_s, window.warmup_s, window.watch
    loop = asyncio.get_running_loop()
    phase = {"timing": False, "stop": False}
    counts = [0] * len(steps)
    operations = [0] * len(steps)
    warm = [False] * len(steps)

    async def writer(index: int, step: AsyncStep) -> None:
        while not phase["stop"]:
            written = await step()
            warm[index] = True
            if phase["timing"] and not phase["stop"]:
                counts[index] += written
                operations[index] += 1

    tasks = [loop.create_task(writer(i, s)) for i, s in enumerate(steps)]
    try:
        await _sleep_or_fail(tasks, warmup_s)
        deadline = time.monotonic() + WARMUP_LIMIT_S
        while not all(warm) and time.monotonic() < deadline:
            await _sleep_or_fail(tasks, 0.01)
        phase["timing"] = True
        started, cpu_start = time.perf_counter(), watch.sample()
        await _sleep_or_fail(tasks, duration_s)
        phase["stop"] = True
        elapsed, cpu_end = time.perf_counter() - started, watch.sample()
        await asyncio.gather(*tasks)
    finally:
        phase["stop"] = True
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return Measurement(
        sum(counts), elapsed, CpuShare.between(cpu_start, cpu_end, elapsed), sum(operations)
    )


async def _sleep_or_fail(tasks: list[asyncio.Task[None]], seconds: float) -> None:
    """Sleep, but surface the first writer that failed instead of timing a broken run."""
    done, _ = await asyncio.wait(tasks, timeout=seconds, return_when=asyncio.FIRST_EXCEPTION)
    for task in done:
        task.result()


SyncStep = Callable[[], int]
"""One operation of one thread; returns how many events it wrote."""


def run_thread_writers(steps: Iterable[SyncStep], window: Window) -> Measurement:
    """The thread version of :func:`run_async_writers`, for synchronous libraries."""
    steps = list(steps)
    duration_s, warmup_s, watch = window.duration_s, window.warmup_s, window.watch
    timing, stop = threading.Event(), threading.Event()
    counts = [0] * len(steps)
    operations = [0] * len(steps)
    errors: list[BaseException] = []
    warm = [False] * len(steps)

    def writer(index: int, step: SyncStep) -> None:
        try:
            while not stop.is_set():
                written = step()
                warm[index] = True
                if timing.is_set() and not stop.is_set():
                    counts[index] += written
                    operations[index] += 1
        except BaseException as error:
            errors.append(error)
            stop.set()

    threads = [
        threading.Thread(target=writer, args=(i, s), daemon=True) for i, s in enumerate(steps)
    ]
    for thread in threads:
        thread.start()
    stop.wait(warmup_s)
    deadline = time.monotonic() + WARMUP_LIMIT_S
    while not all(warm) and time.monotonic() < deadline and not stop.is_set():
        stop.wait(0.01)
    timing.set()
    started, cpu_start = time.perf_counter(), watch.sample()
    stop.wait(duration_s)
    stop.set()
    elapsed, cpu_end = time.perf_counter() - started, watch.sample()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return Measurement(
        sum(counts), elapsed, CpuShare.between(cpu_start, cpu_end, elapsed), sum(operations)
    )


async def time_once(work: Callable[[], Awaitable[int]], watch: CpuWatch) -> Measurement:
    """Time one piece of work that reports how many events it handled."""
    started, cpu_start = time.perf_counter(), watch.sample()
    events = await work()
    elapsed, cpu_end = time.perf_counter() - started, watch.sample()
    return Measurement(events, elapsed, CpuShare.between(cpu_start, cpu_end, elapsed), 1)
