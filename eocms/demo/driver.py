"""Sends a scenario's steps to the running services over HTTP, month by month.

Chains run concurrently (bounded); each chain's steps run in order, since each
needs the version its previous step produced. A month's steps all finish
before the next month's start. Idempotency keys derive from the seed, the
chain and the step, so a retried request is answered from the service's
idempotency store instead of acting twice.

A command that needs a client (or a plan) another service learns of from the
bus is refused until the event has arrived; those refusals are retried with
a fresh key after a short wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from eocms.demo.routes import ROUTES, Route
from eocms.demo.simulator import Scenario, Step
from eocms.demo.tally import Tally

WAITING_FOR_THE_BUS = ("/problems/unknown-client", "/problems/no-self-employment-plan")
"""Refusals that last only until an event reaches the refusing service."""
BUS_WAIT_S = 60.0
TRANSIENT_RETRIES = 5


@dataclass(frozen=True)
class Failure:
    """A step a service refused (its chain's later steps were skipped)."""

    step: Step
    status: int
    detail: str


@dataclass
class DriveReport:
    """What the drive did: steps sent, refusals and what was accepted."""

    sent: int = 0
    skipped: int = 0
    failures: list[Failure] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)


class Driver:
    """Drives one scenario against services at ``urls`` with per-site tokens.

    ``site_tokens`` are the site's staff; ``ministry_tokens`` (by site) its region's
    Employment and Training Consultant, who makes the ministry's decisions. Without
    them, decisions go with the site's token (and are refused).
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        urls: Mapping[str, str],
        site_tokens: Mapping[str, str],
        seed: int,
        concurrency: int = 16,
        ministry_tokens: Mapping[str, str] | None = None,
    ) -> None:
        self.client, self.urls, self.site_tokens = client, urls, site_tokens
        self.ministry_tokens = ministry_tokens or site_tokens
        self.seed, self.limit = seed, asyncio.Semaphore(concurrency)
        self.ids: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.broken: set[str] = set()

    async def drive(
        self,
        scenario: Scenario,
        *,
        on_month: Callable[[str], None] = lambda month: None,
        on_step: Callable[[], None] = lambda: None,
    ) -> DriveReport:
        """Run every step, a month at a time; report what was accepted and refused."""
        report = DriveReport(tally=Tally(scenario.first_day, scenario.last_day))
        for month in scenario.months():
            on_month(month)
            parts = [[step for step in chain if step.month == month] for chain in scenario.chains]
            await asyncio.gather(
                *(self._run_chain(part, report, on_step) for part in parts if part)
            )
        return report

    async def _run_chain(
        self, steps: list[Step], report: DriveReport, on_step: Callable[[], None]
    ) -> None:
        async with self.limit:
            for step in steps:
                if step.chain in self.broken:
                    report.skipped += 1
                else:
                    await self._run_step(step, report)
                on_step()

    async def _run_step(self, step: Step, report: DriveReport) -> None:
        route = ROUTES[step.action]
        key = f"demo-{self.seed}-{step.chain}-{step.index}"
        method, url, body = self._request(step, route)
        tokens = self.ministry_tokens if route.ministry else self.site_tokens
        headers = {"Authorization": f"Bearer {tokens[step.site_id]}"}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BUS_WAIT_S
        attempt = transient = 0
        while True:
            headers["Idempotency-Key"] = key if attempt == 0 else f"{key}~{attempt}"
            try:
                response = await self.client.request(method, url, json=body, headers=headers)
            except httpx.TransportError as error:
                transient += 1
                if transient > TRANSIENT_RETRIES:
                    self._fail(step, report, 0, f"{type(error).__name__}: {error}")
                    return
                await asyncio.sleep(0.2 * transient)
                continue
            if response.status_code >= 500 and transient < TRANSIENT_RETRIES:
                transient += 1
                await asyncio.sleep(0.2 * transient)
                continue
            if _waits_for_the_bus(response) and loop.time() < deadline:
                attempt += 1
                await asyncio.sleep(min(0.05 * attempt, 0.5))
                continue
            break
        report.sent += 1
        if response.status_code >= 400:
            self._fail(step, report, response.status_code, response.text[:300])
            return
        answer = response.json()
        if route.creates:
            self.ids[step.ref] = response.headers["Location"].rsplit("/", 1)[-1]
        if "version" in answer:
            self.versions[step.ref] = answer["version"]
        report.tally.record(step, answer)

    def _request(self, step: Step, route: Route) -> tuple[str, str, dict[str, Any]]:
        body = dict(step.body)
        values = {"site_id": step.site_id}
        if step.ref in self.ids:
            values["id"] = self.ids[step.ref]
        if step.client_ref is not None:
            values["client_id"] = self.ids[step.client_ref]
        for name in ("component", "month"):
            if "{" + name + "}" in route.path:
                values[name] = body.pop(name)
        for name in route.resolved:
            body[name] = self.ids[body[name]]
        if route.date_field is not None:
            body[route.date_field] = step.on.isoformat()
        if route.with_site:
            body["site_id"] = step.site_id
        if route.with_client:
            body["client_id"] = values["client_id"]
        if route.versioned:
            body["expected_version"] = self.versions[step.ref]
        return route.method, self.urls[route.service] + route.path.format(**values), body

    def _fail(self, step: Step, report: DriveReport, status: int, detail: str) -> None:
        self.broken.add(step.chain)
        report.failures.append(Failure(step, status, detail))


def _waits_for_the_bus(response: httpx.Response) -> bool:
    if response.status_code not in (422, 503):  # 503: caseload waits for the registration
        return False
    try:
        kind = response.json().get("type", "")
    except ValueError:
        return False
    return any(str(kind).endswith(wanted) for wanted in WAITING_FOR_THE_BUS)
