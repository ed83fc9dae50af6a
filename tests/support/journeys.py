"""A client-journey driver over HTTP that retries as a careful client does.

Each journey registers a client in intake, opens a service plan in caseload
once caseload knows the client, adds and starts a job-search service and
closes the plan. Every command carries its own ``Idempotency-Key`` and
``X-Correlation-ID`` (so its events can be found in the store) and is retried
under the SAME key on a connection error, a 5xx or a 409 "request in flight",
until it gets another answer or the driver's deadline passes. A 422 "unknown
client" (caseload has not heard of the client yet) is a refusal stored under
its key: the driver asks again with a new key.

The driver records every command it sent and how it ended, so a test can
check each 2xx effect against the stores.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from chassis.http import AuthSettings, mint_dev_token

IN_FLIGHT = "/problems/request-in-flight"
NOT_YET_KNOWN = ("/problems/unknown-client", "/problems/client-not-eligible")
RETRY_PAUSE_S = 0.25


@dataclass
class Command:
    """One command as sent (possibly several times under one key) and how it ended."""

    service: str
    path: str
    body: dict[str, Any]
    key: str = field(default_factory=lambda: f"chaos-{uuid.uuid4()}")
    correlation_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    attempts: int = 0
    answers: list[str] = field(default_factory=list)
    """Each attempt's outcome: a status code and problem type, or the connection error."""
    status: int | None = None
    result: dict[str, Any] | None = None

    @property
    def succeeded(self) -> bool:
        """Whether the command's final answer was 2xx."""
        return self.status is not None and 200 <= self.status < 300

    def describe(self) -> str:
        """One line for failure messages: the answers in order, repeats counted."""
        runs: list[list[Any]] = []
        for answer in self.answers:
            if runs and runs[-1][0] == answer:
                runs[-1][1] += 1
            else:
                runs.append([answer, 1])
        answers = " -> ".join(a if n == 1 else f"{a} x{n}" for a, n in runs)
        return f"{self.service} POST {self.path} [{self.key}]: {answers}"


@dataclass
class JourneyOutcome:
    """A journey's ids and commands; ``failure`` says where it stopped, if it did."""

    site: str
    client_id: str | None = None
    plan_id: str | None = None
    failure: str | None = None


def synthetic_registration(site: str, number: int) -> dict[str, Any]:
    """A fictional, eligible client registered at ``site`` in fiscal year 2012-13."""
    return {
        "site_id": site,
        "registered_on": "2012-05-01",
        "personal_details": {
            "given_name": f"Testperson{number}",
            "family_name": "Chaosdrill",
            "date_of_birth": "1985-06-15",
            "email": f"testperson{number}@example.org",
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


class JourneyDriver:
    """Sends journeys to the services, retrying each command under its key until a deadline."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        url_of: Callable[[str], str],
        *,
        sites: list[str],
        deadline: float,
    ) -> None:
        self.http = http
        self.url_of = url_of
        self.deadline = deadline
        self.commands: list[Command] = []
        self.in_flight: Counter[str] = Counter()
        """Requests sent and not yet answered, by service: where a kill hurts most."""
        auth = AuthSettings()
        self._token = mint_dev_token(auth, subject="chaos-caseworker", roles=["caseworker"],
                                     site_ids=sites, ttl_s=3600)  # fmt: skip

    async def send(self, command: Command) -> Command:
        """POST until an answer that is neither a transport error, a 5xx nor 'in flight'."""
        self.commands.append(command)
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Idempotency-Key": command.key,
            "X-Correlation-ID": command.correlation_id,
        }
        while time.monotonic() < self.deadline:
            command.attempts += 1
            self.in_flight[command.service] += 1
            try:
                answer = await self.http.post(
                    self.url_of(command.service) + command.path, json=command.body, headers=headers
                )
            except httpx.TransportError as error:
                command.answers.append(type(error).__name__)
                await asyncio.sleep(RETRY_PAUSE_S)
                continue
            finally:
                self.in_flight[command.service] -= 1
            problem = _problem_type(answer)
            command.answers.append(f"{answer.status_code}{' ' + problem if problem else ''}")
            if answer.status_code >= 500 or (answer.status_code == 409 and problem == IN_FLIGHT):
                await asyncio.sleep(RETRY_PAUSE_S)
                continue
            command.status = answer.status_code
            command.result = answer.json() if answer.content else None
            return command
        command.answers.append("deadline" if command.attempts else "not sent: deadline passed")
        return command

    async def journey(self, site: str, number: int) -> JourneyOutcome:
        """Register, open a plan once known, add and start job search, close the plan."""
        outcome = JourneyOutcome(site)
        registered = await self.send(
            Command("intake", "/clients", synthetic_registration(site, number))
        )
        if registered.status != 201:
            outcome.failure = registered.describe()
            return outcome
        outcome.client_id = str(registered.result["client_id"])  # type: ignore[index]
        opened = await self._open_plan_once_known(site, outcome.client_id)
        if opened.status != 201:
            outcome.failure = opened.describe()
            return outcome
        plan = opened.result or {}
        outcome.plan_id = str(plan["plan_id"])
        steps: list[tuple[str, dict[str, Any]]] = [
            ("/items", {"component": "job-search", "added_on": "2012-05-03"}),
            ("/services/job-search/start", {"started_on": "2012-05-04"}),
            ("/closure", {"exit_date": "2012-05-31", "outcome": "employed-full-time"}),
        ]
        for suffix, body in steps:
            step = await self.send(
                Command(
                    "caseload",
                    f"/service-plans/{outcome.plan_id}{suffix}",
                    {"expected_version": plan["version"], **body},
                )
            )
            if step.status != 200:
                outcome.failure = step.describe()
                return outcome
            plan = step.result or {}
        return outcome

    async def _open_plan_once_known(self, site: str, client_id: str) -> Command:
        """Open the plan; a new key each time caseload answers it does not know the client."""
        body = {
            "client_id": client_id,
            "site_id": site,
            "goal": "Find full-time work",
            "opened_on": "2012-05-02",
        }
        while True:
            opened = await self.send(Command("caseload", "/service-plans", body))
            waiting = opened.status in (422, 503) and _problem_type_of(opened) in NOT_YET_KNOWN
            if not waiting or time.monotonic() >= self.deadline:
                return opened
            await asyncio.sleep(0.5)


def _problem_type(answer: httpx.Response) -> str | None:
    if not answer.headers.get("content-type", "").startswith("application/problem+json"):
        return None
    try:
        return str(answer.json().get("type"))
    except ValueError:
        return None


def _problem_type_of(command: Command) -> str | None:
    return None if command.result is None else command.result.get("type")
