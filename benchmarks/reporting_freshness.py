"""Freshness: a command accepted over HTTP, then seen in reporting's ``/measures``.

Intake, caseload and reporting run as ``eocms serve`` processes (own
databases, relays, consumers, reporting's refresher) on a broker of their
own. Before they start, the sites' history goes on the broker: the province
generator's events for the benchmark's sites, as many clients per site as the
full province (500), so each site-year the refresher recomputes holds a
realistic amount of facts. Preparation, untimed: once reporting has projected
the history, one service plan is opened through caseload's
``POST /service-plans`` for each of the history's eligible clients needed
(caseload knows them from intake's events on the bus; clients are registered
through intake's ``POST /clients`` only when a site runs out); then the run
waits until reporting has consumed everything and its counts are still.

Timed: a steady, open-loop stream of ``rate`` commands per second to caseload
(each scheduled at ``start + i / rate`` whatever the previous answers, at most
64 in flight): first the closure (``POST /service-plans/{id}/closure``) of
every load plan, then each one's satisfaction rating, then its 3-month
follow-up; a request that fails in transport is resent once with the same
idempotency key. Beside it, sampled commands run on *probe sites* that get no
other command: a probe closes one
plan, takes the time of the 2xx, then polls ``GET /measures?site_id=<probe>``
every ``poll_ms`` until the site's Client Impact denominator (plans closed in
the year to date) counts it. Freshness is that time, from the 2xx to the
first answer that shows the closure (so it includes up to one polling
interval). Probe loops run one probe at a time each.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx

from benchmarks.measure import CpuShare, CpuWatch, process_cpu_seconds
from benchmarks.province import FULL_CLIENTS, FULL_SITES, ProvinceShape
from benchmarks.reporting_latency import Latencies
from benchmarks.reporting_services import bearer

FISCAL_YEAR = "2012-13"
PREPARE_CONCURRENCY = 16
MAX_IN_FLIGHT = 64
PROBE_TIMEOUT_S = 30.0
KNOWN_CLIENT_DEADLINE_S = 120.0
CAUGHT_UP_DEADLINE_S = 300.0
WARMUP_S = 2.0
"""Longest wait before the first probe."""


@dataclass(frozen=True)
class FreshnessConfig:
    """Rate, duration and sizes of the freshness run."""

    rate: float = 200.0
    duration_s: float = 30.0
    load_sites: int = 20
    probe_sites: int = 4
    probe_loops: int = 2
    poll_ms: float = 50.0
    """How often a probe reads /measures; each read costs reporting some CPU."""
    probe_plans: int | None = None
    """Plans per probe site; default: enough for one probe every 100 ms per loop."""
    background_clients_per_site: int = FULL_CLIENTS // FULL_SITES
    """Synthetic history per site on the broker before the services start (0: none)."""

    @property
    def warmup_s(self) -> float:
        """Probes start this long after the load, once it runs steadily."""
        return min(WARMUP_S, self.duration_s / 4)

    @property
    def load_plans(self) -> int:
        """Plans the load closes, rates and follows up: three commands each."""
        return max(1, math.ceil(self.rate * self.duration_s / 3))

    @property
    def probe_plans_per_site(self) -> int:
        """Enough plans for a probe every 100 ms per loop, spread over the probe sites."""
        if self.probe_plans is not None:
            return self.probe_plans
        per_loop = math.ceil(self.duration_s / 0.1)
        return max(2, math.ceil(per_loop * self.probe_loops / self.probe_sites))


@dataclass
class Plan:
    """A plan opened in preparation: where it is and the version the next command expects."""

    site_id: str
    client_id: str
    plan_id: str = ""
    version: int = 0


@dataclass
class FreshnessResult:
    """Freshness samples and what the load achieved."""

    freshness: Latencies
    command_ms: Latencies
    commands_sent: int
    commands_failed: int
    achieved_rate: float
    probe_timeouts: int
    prepare_s: float
    failures: list[str] = field(default_factory=list)
    service_cpu_percent: dict[str, float] = field(default_factory=dict)
    """CPU of each service process during the timed phase, 100 = one core."""


def site_ids(prefix: str, count: int) -> list[str]:
    """``S001``-style site ids (the province generator's)."""
    return [f"{prefix}{n:03d}" for n in range(1, count + 1)]


def background_shape(config: FreshnessConfig) -> ProvinceShape | None:
    """The history of the freshness sites, as many clients per site as the full province."""
    if config.background_clients_per_site <= 0:
        return None
    sites = config.load_sites + config.probe_sites
    return ProvinceShape(sites=sites, clients=sites * config.background_clients_per_site)


class Caseworkers:
    """HTTP clients of intake and caseload with a caseworker token for every benchmark site."""

    def __init__(self, intake_url: str, caseload_url: str, sites: list[str]) -> None:
        limits = httpx.Limits(
            max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT
        )
        auth = bearer("caseworker", sites)
        self.intake = httpx.AsyncClient(
            base_url=intake_url, headers=auth, timeout=60.0, limits=limits
        )
        self.caseload = httpx.AsyncClient(
            base_url=caseload_url, headers=auth, timeout=60.0, limits=limits
        )

    async def close(self) -> None:
        """Close both clients."""
        await self.intake.aclose()
        await self.caseload.aclose()

    async def post(
        self, http: httpx.AsyncClient, path: str, body: dict[str, Any]
    ) -> httpx.Response:
        """POST with a fresh idempotency key; resent once with the same key on a transport error.

        (A keep-alive connection the server closes just as a request goes out
        fails that request; the idempotency key makes the resend safe.)
        """
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        try:
            return await http.post(path, json=body, headers=headers)
        except httpx.TransportError:
            return await http.post(path, json=body, headers=headers)

    async def register(self, site: str, n: int) -> str:
        """Register one synthetic, eligible client; its id."""
        answer = await self.post(self.intake, "/clients", _registration(site, n))
        if answer.status_code != 201:
            raise RuntimeError(f"registration answered {answer.status_code}: {answer.text[:300]}")
        return str(answer.json()["client_id"])

    async def open_plan(self, plan: Plan) -> None:
        """Open the plan, waiting while caseload has not learned of the client yet."""
        body = {
            "client_id": plan.client_id,
            "site_id": plan.site_id,
            "goal": "Find steady work in the region",
            "opened_on": "2012-05-02",
        }
        deadline = time.monotonic() + KNOWN_CLIENT_DEADLINE_S
        while True:
            answer = await self.post(self.caseload, "/service-plans", body)
            if answer.status_code == 201:
                view = answer.json()
                plan.plan_id, plan.version = str(view["plan_id"]), int(view["version"])
                return
            waiting = answer.status_code in (422, 503) and answer.json().get("type", "").endswith(
                ("unknown-client", "client-not-eligible")
            )
            if not waiting or time.monotonic() > deadline:
                raise RuntimeError(
                    f"opening a plan answered {answer.status_code}: {answer.text[:300]}"
                )
            await asyncio.sleep(0.5)

    async def close_plan(self, plan: Plan) -> httpx.Response:
        """Close the plan at exit (employed); moves its version on success."""
        body = {
            "expected_version": plan.version,
            "exit_date": "2012-09-28",
            "outcome": "employed-full-time",
        }
        answer = await self.post(self.caseload, f"/service-plans/{plan.plan_id}/closure", body)
        if answer.is_success:
            plan.version = int(answer.json()["version"])
        return answer

    async def follow_up(self, plan: Plan) -> httpx.Response:
        """Record the 3-month follow-up of a closed plan (due 2012-12-28)."""
        body = {
            "expected_version": plan.version,
            "checkpoint": 3,
            "outcome": "employed-full-time",
            "recorded_on": "2012-12-28",
        }
        answer = await self.post(self.caseload, f"/service-plans/{plan.plan_id}/follow-ups", body)
        if answer.is_success:
            plan.version = int(answer.json()["version"])
        return answer

    async def rate_plan(self, plan: Plan) -> httpx.Response:
        """Record a satisfaction rating of 5 on a closed plan."""
        body = {"expected_version": plan.version, "rating": 5, "recorded_on": "2012-10-01"}
        answer = await self.post(self.caseload, f"/service-plans/{plan.plan_id}/satisfaction", body)
        if answer.is_success:
            plan.version = int(answer.json()["version"])
        return answer


def _registration(site: str, n: int) -> dict[str, Any]:
    """A synthetic, eligible registration (no real person: made-up names and dates)."""
    return {
        "site_id": site,
        "registered_on": "2012-05-01",
        "personal_details": {
            "given_name": f"Bench{n}",
            "family_name": f"Synthetic{site}",
            "date_of_birth": "1985-06-15",
        },
        "profile": {
            "education_level": "grade-12",
            "income_source": "ontario-works",
            "months_out_of_work": 7,
            "years_out_of_school": 8,
            "interrupted_employment": True,
            "no_canadian_work_experience": False,
            "designated_groups": [],
            "referral_source": "self-referred",
            "hours_worked_per_week": 0,
            "in_full_time_education": False,
        },
    }


async def _bounded(jobs: list[Callable[[], Awaitable[Any]]], concurrency: int) -> list[Any]:
    """Run ``jobs`` with at most ``concurrency`` at a time; results in order."""
    semaphore = asyncio.Semaphore(concurrency)

    async def run(job: Callable[[], Awaitable[Any]]) -> Any:
        async with semaphore:
            return await job()

    return await asyncio.gather(*(run(job) for job in jobs))


async def prepare(people: Caseworkers, plans: list[Plan]) -> None:
    """Register the plans' clients that have no id yet, then open every plan."""
    counter = iter(range(len(plans)))

    async def register(plan: Plan) -> None:
        plan.client_id = await people.register(plan.site_id, next(counter))

    new = [plan for plan in plans if not plan.client_id]
    await _bounded([partial(register, p) for p in new], PREPARE_CONCURRENCY)
    await _bounded([partial(people.open_plan, p) for p in plans], PREPARE_CONCURRENCY)


class MeasuresReader:
    """Reads one site's (or the province's) counts from reporting's ``/measures``."""

    def __init__(self, reporting_url: str) -> None:
        self.http = httpx.AsyncClient(
            # exact counts: an analyst's small counts (a site's first plans) are suppressed
            base_url=reporting_url,
            headers=bearer("admin"),
            timeout=30.0,
        )

    async def close(self) -> None:
        """Close the client."""
        await self.http.aclose()

    async def denominator(self, measure_id: str, site: str | None = None) -> float:
        """The measure's year-to-date denominator at ``site`` (province roll-up if None)."""
        params = {"fiscal_year": FISCAL_YEAR}
        if site is not None:
            params["site_id"] = site
        answer = await self.http.get("/measures", params=params)
        if answer.status_code == 404 and site is not None:
            return 0.0  # reporting has no fact of the site yet
        if answer.status_code != 200:
            raise RuntimeError(f"/measures answered {answer.status_code}: {answer.text[:300]}")
        report = answer.json()
        row = report["sites"][0] if site is not None else report["rollup"]
        for measure in row["measures"]:
            if measure["measure_id"] == measure_id:
                return float(measure["denominator"])
        raise RuntimeError(f"no {measure_id} in /measures")

    async def settled(self, measure_id: str, quiet_s: float = 1.0) -> float:
        """The province's denominator once it stayed the same for ``quiet_s`` (refresher done)."""
        value, since = await self.denominator(measure_id), time.perf_counter()
        deadline = since + CAUGHT_UP_DEADLINE_S
        while time.perf_counter() - since < quiet_s:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{measure_id} kept changing for {CAUGHT_UP_DEADLINE_S} s")
            await asyncio.sleep(0.25)
            current = await self.denominator(measure_id)
            if current != value:
                value, since = current, time.perf_counter()
        return value

    async def wait_for(
        self, measure_id: str, expected: float, site: str | None, poll_s: float, timeout_s: float
    ) -> float | None:
        """Poll until the denominator reaches ``expected``; the time it was seen, or None."""
        deadline = time.perf_counter() + timeout_s
        while True:
            if await self.denominator(measure_id, site) >= expected:
                return time.perf_counter()
            if time.perf_counter() > deadline:
                return None
            await asyncio.sleep(poll_s)


async def measure_freshness(
    intake_url: str,
    caseload_url: str,
    reporting_url: str,
    config: FreshnessConfig,
    watch: CpuWatch,
    *,
    caught_up: Callable[[], Awaitable[None]],
    on_stage: Callable[[str], None] = lambda _: None,
    service_pids: dict[str, int] | None = None,
    eligible_by_site: dict[str, list[str]] | None = None,
) -> FreshnessResult:
    """Prepare plans, run the steady load with probes, return freshness and load figures.

    ``caught_up`` waits until reporting's consumer has committed everything on
    the topics. Plans are opened for the sites' eligible clients of the
    history (``eligible_by_site``) while there are some, for clients registered
    through intake otherwise.
    """
    all_sites = site_ids("S", config.load_sites + config.probe_sites)
    load_sites, probe_sites = all_sites[: config.load_sites], all_sites[config.load_sites :]
    pool = {site: list((eligible_by_site or {}).get(site, ())) for site in all_sites}

    def plan_at(site: str) -> Plan:
        return Plan(site, pool[site].pop() if pool[site] else "")

    load_plans = [plan_at(load_sites[i % len(load_sites)]) for i in range(config.load_plans)]
    probe_plans = {
        site: [plan_at(site) for _ in range(config.probe_plans_per_site)] for site in probe_sites
    }
    everything = load_plans + [p for ps in probe_plans.values() for p in ps]
    people = Caseworkers(intake_url, caseload_url, all_sites)
    measures = MeasuresReader(reporting_url)
    try:
        started = time.perf_counter()
        on_stage("waiting for reporting to project the sites' history")
        await caught_up()
        await measures.settled("client_impact")
        unregistered = sum(1 for plan in everything if not plan.client_id)
        on_stage(f"opening {len(everything):,} plans ({unregistered:,} new clients registered)")
        await prepare(people, everything)
        on_stage("waiting for reporting to count the opened plans")
        await caught_up()
        await measures.settled("client_suitability")
        prepare_s = time.perf_counter() - started
        on_stage(f"steady load: {config.rate:g} commands/s for {config.duration_s:g} s")
        pids = service_pids or {}
        before = {name: process_cpu_seconds(pid) for name, pid in pids.items()}
        started = time.perf_counter()
        result = await _timed_phase(
            people, measures, load_plans, probe_plans, config, watch, prepare_s
        )
        elapsed = time.perf_counter() - started
        result.service_cpu_percent = {
            name: round(100 * (process_cpu_seconds(pid) - before[name]) / elapsed, 1)
            for name, pid in pids.items()
        }
        return result
    finally:
        await people.close()
        await measures.close()


async def _timed_phase(
    people: Caseworkers,
    measures: MeasuresReader,
    load_plans: list[Plan],
    probe_plans: dict[str, list[Plan]],
    config: FreshnessConfig,
    watch: CpuWatch,
    prepare_s: float,
) -> FreshnessResult:
    commands: list[tuple[Plan, Callable[[], Awaitable[httpx.Response]]]] = []
    commands += [(p, partial(people.close_plan, p)) for p in load_plans]
    commands += [(p, partial(people.rate_plan, p)) for p in load_plans]
    commands += [(p, partial(people.follow_up, p)) for p in load_plans]
    # a plan's next command waits for the answer to its previous one (it needs the
    # version that answer carries), however slow the service is
    in_turn = {id(p): asyncio.Lock() for p in load_plans}
    command_ms: list[float] = []
    failures: list[str] = []
    freshness_ms: list[float] = []
    timeouts = 0
    stop = asyncio.Event()

    async def send(plan: Plan, command: Callable[[], Awaitable[httpx.Response]]) -> None:
        async with in_turn[id(plan)]:
            sent = time.perf_counter()
            try:
                answer = await command()
            except httpx.HTTPError as error:
                failures.append(repr(error))
                return
        command_ms.append((time.perf_counter() - sent) * 1000)
        if not answer.is_success:
            failures.append(f"{answer.status_code} {answer.text[:200]}")

    async def load() -> float:
        semaphore = asyncio.Semaphore(MAX_IN_FLIGHT)
        tasks: set[asyncio.Task[None]] = set()

        def finished(task: asyncio.Task[None]) -> None:
            tasks.discard(task)
            semaphore.release()

        begin = time.perf_counter()
        for i, (plan, command) in enumerate(commands):
            delay = begin + i / config.rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await semaphore.acquire()
            task = asyncio.create_task(send(plan, command))
            tasks.add(task)
            task.add_done_callback(finished)
        await asyncio.gather(*tasks)
        return len(commands) / (time.perf_counter() - begin)

    async def probe_loop(sites: list[str]) -> None:
        nonlocal timeouts
        await asyncio.sleep(config.warmup_s)
        closed = {site: await measures.denominator("client_impact", site) for site in sites}
        queues = {site: list(probe_plans[site]) for site in sites}
        index = 0
        while not stop.is_set():
            site = sites[index % len(sites)]
            index += 1
            if not queues[site]:
                if not any(queues.values()):
                    return
                continue
            plan = queues[site].pop(0)
            answer = await people.close_plan(plan)
            accepted = time.perf_counter()
            if not answer.is_success:
                failures.append(f"probe {answer.status_code} {answer.text[:200]}")
                continue
            closed[site] += 1
            seen = await measures.wait_for(
                "client_impact", closed[site], site, config.poll_ms / 1000, PROBE_TIMEOUT_S
            )
            if seen is None:
                timeouts += 1
            else:
                freshness_ms.append((seen - accepted) * 1000)

    loops = [
        list(probe_plans)[k :: config.probe_loops]
        for k in range(min(config.probe_loops, len(probe_plans)))
    ]
    started, cpu_start = time.perf_counter(), watch.sample()
    probes = [asyncio.create_task(probe_loop(sites)) for sites in loops]
    try:
        achieved = await load()
    finally:
        stop.set()
        await asyncio.gather(*probes)
    elapsed, cpu_end = time.perf_counter() - started, watch.sample()
    cpu = CpuShare.between(cpu_start, cpu_end, elapsed)
    note = f"{len(freshness_ms)} sampled closures, poll every {config.poll_ms:g} ms"
    return FreshnessResult(
        freshness=Latencies.of(freshness_ms, elapsed, cpu, note),
        command_ms=Latencies.of(command_ms, elapsed, cpu, f"{len(command_ms)} commands"),
        commands_sent=len(commands),
        commands_failed=len(failures),
        achieved_rate=achieved,
        probe_timeouts=timeouts,
        prepare_s=prepare_s,
        failures=failures[:5],
    )
