"""HTTP commands as production runs them, beside a bare FastAPI + asyncpg endpoint.

Intake and caseload run as ``eocms serve`` processes (own databases, relays,
consumers, on the run's broker), exactly as :mod:`eocms.service_processes`
starts them for the end-to-end tests; the ceiling is
:mod:`benchmarks.bare_endpoint` started the same way (one uvicorn process, one
``INSERT`` per request). One load generator (this process, ``concurrency``
requests in flight on keep-alive connections, a fresh idempotency key per
command) sends, in turn:

1. ``count`` registrations to intake (``POST /clients``);
2. ``count`` one-insert requests to the bare endpoint (the ceiling);
3. ``count`` plan openings to caseload (``POST /service-plans``) for those clients
   (untimed before it: caseload has learned of every client from intake's events);
4. ``count`` closures of those plans (``POST /service-plans/{id}/closure``).

Each phase gives commands/s (wall clock) and the CPU the serving process spent
per command, read from ``/proc/<pid>/stat`` (utime + stime) around the phase.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from benchmarks.measure import CpuShare, CpuWatch, Measurement, process_cpu_seconds
from benchmarks.reporting_freshness import Caseworkers, Plan, _registration
from benchmarks.reporting_services import start_service
from benchmarks.reporting_setup import Databases, wait_until_caught_up
from chassis.broker.local import free_loopback_port
from eocms.service_processes import PROJECT_ROOT, ServiceFailed
from services.caseload.adapters.known_clients_projection import GROUP_ID as KNOWN_CLIENTS_GROUP

SITE = "S901"
KNOWN_DEADLINE_S = 60.0


class BareEndpoint:
    """The ceiling's process: ``python -m benchmarks.bare_endpoint`` on a free port."""

    def __init__(self, dsn: str, log_dir: Path) -> None:
        self.port = free_loopback_port()
        self.log_path = log_dir / "bare.log"
        with self.log_path.open("ab") as log_file:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.bare_endpoint", "--port", str(self.port)],
                cwd=PROJECT_ROOT,
                env={**os.environ, "BENCH_BARE_DSN": dsn},
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )

    @property
    def base_url(self) -> str:
        """Where it answers."""
        return f"http://127.0.0.1:{self.port}"

    async def wait_ready(self, deadline_s: float = 60.0) -> None:
        """Poll ``/health`` until 200; :class:`ServiceFailed` if it exits or times out."""
        started = time.monotonic()
        async with httpx.AsyncClient(base_url=self.base_url, timeout=5.0) as http:
            while True:
                if self.process.poll() is not None:
                    raise ServiceFailed(
                        f"bare endpoint exited: {self.log_path.read_text()[-3000:]}"
                    )
                try:
                    if (await http.get("/health")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() - started > deadline_s:
                    raise ServiceFailed("bare endpoint not ready")
                await asyncio.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


async def timed_phase(
    jobs: list[Callable[[], Awaitable[httpx.Response]]],
    concurrency: int,
    server_pid: int,
    watch: CpuWatch,
) -> Measurement:
    """Run ``jobs`` with ``concurrency`` in flight; every answer must be 2xx."""
    queue = iter(jobs)
    failures: list[str] = []

    async def worker() -> None:
        for job in queue:
            answer = await job()
            if not answer.is_success and len(failures) < 3:
                failures.append(f"{answer.status_code} {answer.text[:200]}")

    cpu_start, server_start = watch.sample(), process_cpu_seconds(server_pid)
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    cpu_end, server_end = watch.sample(), process_cpu_seconds(server_pid)
    if failures:
        raise RuntimeError(f"commands failed: {failures}")
    return Measurement(
        len(jobs),
        elapsed,
        CpuShare.between(cpu_start, cpu_end, elapsed),
        len(jobs),
        server_cpu_s=server_end - server_start,
    )


async def measure_commands(
    admin_dsn: str,
    bootstrap_servers: str,
    log_dir: Path,
    watch: CpuWatch,
    *,
    count: int,
    concurrency: int = 8,
) -> dict[str, Measurement]:
    """The four HTTP figures (keys ``http.*``) from one start of the processes."""
    databases = Databases(admin_dsn)
    processes: list[Any] = []
    bare: BareEndpoint | None = None
    try:
        intake_db = await databases.create("intake", migrated=False)
        caseload_db = await databases.create("caseload", migrated=False)
        bare_db = await databases.create("bare", migrated=False)
        watch.databases.extend([intake_db.name, caseload_db.name, bare_db.name])
        intake = start_service(
            "intake", database_url=intake_db.url, bootstrap_servers=bootstrap_servers,
            log_dir=log_dir,
        )  # fmt: skip
        processes.append(intake)
        caseload = start_service(
            "caseload", database_url=caseload_db.url, bootstrap_servers=bootstrap_servers,
            log_dir=log_dir,
        )  # fmt: skip
        processes.append(caseload)
        bare = BareEndpoint(bare_db.dsn, log_dir)
        await asyncio.gather(intake.wait_ready(), caseload.wait_ready(), bare.wait_ready())
        return await _phases(
            intake, caseload, bare, watch, count, concurrency, intake_db.dsn, bootstrap_servers
        )
    finally:
        for process in processes:
            process.stop()
        if bare is not None:
            bare.stop()
        await databases.drop_all()


async def _phases(
    intake: Any,
    caseload: Any,
    bare: BareEndpoint,
    watch: CpuWatch,
    count: int,
    concurrency: int,
    intake_dsn: str,
    bootstrap_servers: str,
) -> dict[str, Measurement]:
    people = Caseworkers(intake.base_url, caseload.base_url, [SITE])
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    ceiling = httpx.AsyncClient(base_url=bare.base_url, timeout=60.0, limits=limits)
    results: dict[str, Measurement] = {}
    try:
        # one untimed command of each kind first: connections, caches, prepared statements
        warm = Plan(SITE, await people.register(SITE, 0))
        await ceiling.post("/commands", json={"site_id": SITE, "body": _registration(SITE, 0)})
        await people.open_plan(warm)
        await people.close_plan(warm)

        plans = [Plan(SITE, "") for _ in range(count)]

        def register(i: int) -> Callable[[], Awaitable[httpx.Response]]:
            async def job() -> httpx.Response:
                answer = await people.post(people.intake, "/clients", _registration(SITE, i + 1))
                if answer.status_code == 201:
                    plans[i].client_id = str(answer.json()["client_id"])
                return answer

            return job

        results["http.intake.register"] = await timed_phase(
            [register(i) for i in range(count)], concurrency, intake.process.pid, watch
        )

        def insert(i: int) -> Callable[[], Awaitable[httpx.Response]]:
            body = {"site_id": SITE, "body": _registration(SITE, i)}

            async def job() -> httpx.Response:
                return await ceiling.post(
                    "/commands", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
                )

            return job

        results["http.bare"] = await timed_phase(
            [insert(i) for i in range(count)], concurrency, bare.process.pid, watch
        )

        # untimed: caseload knows every registered client (opening waits while it does not)
        await _wait_known(intake_dsn, bootstrap_servers)

        def open_(plan: Plan) -> Callable[[], Awaitable[httpx.Response]]:
            async def job() -> httpx.Response:
                answer = await people.post(people.caseload, "/service-plans", _opening(plan))
                if answer.status_code == 201:
                    view = answer.json()
                    plan.plan_id, plan.version = str(view["plan_id"]), int(view["version"])
                return answer

            return job

        results["http.caseload.open"] = await timed_phase(
            [open_(p) for p in plans], concurrency, caseload.process.pid, watch
        )

        def close(plan: Plan) -> Callable[[], Awaitable[httpx.Response]]:
            return lambda: people.close_plan(plan)

        results["http.caseload.close"] = await timed_phase(
            [close(p) for p in plans], concurrency, caseload.process.pid, watch
        )
    finally:
        await people.close()
        await ceiling.aclose()
    return results


def _opening(plan: Plan) -> dict[str, Any]:
    return {
        "client_id": plan.client_id,
        "site_id": plan.site_id,
        "goal": "Find steady work in the region",
        "opened_on": "2012-05-02",
    }


async def _wait_known(intake_dsn: str, bootstrap_servers: str) -> None:
    """Until intake's relay published everything and caseload's group consumed it."""
    deadline = time.monotonic() + KNOWN_DEADLINE_S
    connection = await asyncpg.connect(intake_dsn)
    try:
        while await connection.fetchval("SELECT EXISTS (SELECT 1 FROM outbox)"):
            if time.monotonic() > deadline:
                raise RuntimeError("intake's outbox did not drain")
            await asyncio.sleep(0.2)
    finally:
        await connection.close()
    await wait_until_caught_up(bootstrap_servers, KNOWN_CLIENTS_GROUP, KNOWN_DEADLINE_S)
