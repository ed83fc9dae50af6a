"""The facts projection as reporting runs it, with one and with two processes in one group.

``eocms serve reporting`` processes (each its own interpreter, as separate
containers would be) on one fresh database and the run's broker, all in one
new consumer group, consume the province already on the broker. The clock runs
from the group's first committed offset to the moment its committed offsets
cover every record, so the group join before it (≈ 5 s on the local broker, a
rebalance per member) is left out and reported apart (a province so small that
the first commit covers it all is timed from the processes' readiness instead).
The refresher is paused (one pass an hour) so the figure is the projection's alone. Kafka gives each
member a share of the partitions: with 3 per topic, at most 3 members of a
group do work, and the shares are only as even as the keys' spread.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

from benchmarks.measure import CpuShare, CpuWatch, Measurement, process_cpu_seconds
from benchmarks.reporting_services import start_service
from benchmarks.reporting_setup import CommittedOffsets, Databases
from contracts.topics import EVENT_TOPICS

STALL_LIMIT_S = 120.0


async def measure_members(
    databases: Databases,
    bootstrap_servers: str,
    total: int,
    members: int,
    log_dir: Path,
    watch: CpuWatch,
) -> tuple[Measurement, float, float]:
    """(measurement, seconds until the first commit, CPU seconds of the reporting processes)."""
    database = await databases.create(f"scale{members}", migrated=False)
    group = f"reporting.facts.scale-{members}-{uuid.uuid4().hex[:6]}"
    env = {"REPORTING_FACTS_GROUP": group, "REPORTING_REFRESH_INTERVAL_S": "3600"}
    for n in range(members):
        (log_dir / f"member-{members}-{n}").mkdir(parents=True, exist_ok=True)
    services = [
        start_service(
            "reporting",
            database_url=database.url,
            bootstrap_servers=bootstrap_servers,
            log_dir=log_dir / f"member-{members}-{n}",
            extra_env=env,
        )
        for n in range(members)
    ]
    offsets = CommittedOffsets(bootstrap_servers, group, list(EVENT_TOPICS.values()))
    watch = CpuWatch(databases=[database.name], broker_pid=watch.broker_pid)
    try:
        launched = time.perf_counter()
        await asyncio.gather(*(s.wait_ready() for s in services))
        ready, ready_cpu = time.perf_counter(), watch.sample()
        ready_service_cpu = sum(process_cpu_seconds(s.process.pid) for s in services)
        await offsets.start()
        while (committed := await offsets.total()) == 0:
            if time.perf_counter() - launched > STALL_LIMIT_S:
                raise RuntimeError(f"{group} committed nothing")
            await asyncio.sleep(0.05)
        first, started, cpu_start = committed, time.perf_counter(), watch.sample()
        service_cpu = sum(process_cpu_seconds(s.process.pid) for s in services)
        if first >= total:  # too small to time from the first commit: time from readiness
            first, started, cpu_start, service_cpu = 0, ready, ready_cpu, ready_service_cpu
        last, last_change = committed, time.monotonic()
        while committed < total:
            await asyncio.sleep(0.05)
            committed = await offsets.total()
            if committed != last:
                last, last_change = committed, time.monotonic()
            elif time.monotonic() - last_change > STALL_LIMIT_S:
                raise RuntimeError(f"{group} stalled at {committed} of {total}")
        elapsed, cpu_end = time.perf_counter() - started, watch.sample()
        service_cpu = sum(process_cpu_seconds(s.process.pid) for s in services) - service_cpu
    finally:
        await offsets.stop()
        for service in services:
            service.stop()
    cpu = CpuShare.between(cpu_start, cpu_end, elapsed)
    return Measurement(total - first, elapsed, cpu, members), started - launched, service_cpu
