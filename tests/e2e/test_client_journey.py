"""A client's whole journey through intake and caseload, run as separate processes.

Intake and caseload each run as ``python -m eocms serve SERVICE`` with their
own fresh PostgreSQL database, on the session's broker. A caseworker of site
S001 registers a client in intake; caseload learns of the client from intake's
events on the bus; the caseworker then opens a plan, runs a job-search service,
refers the client out, closes the plan, records satisfaction and the 3-month
follow-up. Finally every event of the client on both topics is read back and
checked: valid envelope, decodable payload, ``client_id`` as the key, every
expected type present, and no personal detail anywhere in values or headers.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord

from chassis.http import AuthSettings, mint_dev_token
from contracts.compatibility import published_registry
from contracts.envelope import EventEnvelope
from contracts.topics import CASELOAD_EVENTS, INTAKE_EVENTS
from eocms.service_processes import ServiceProcess, service_environment, start_service_process
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]

SITE = "S001"
KNOWN_CLIENT_DEADLINE_S = 60.0
EVENTS_DEADLINE_S = 60.0

# A fictional person: none of these values may ever reach the bus.
GIVEN_NAME = "Thessaly"
FAMILY_NAME = "Orbanque-Vintner"
DATE_OF_BIRTH = "1987-03-14"
SIN_DIGITS = "718392657"  # Luhn-valid, synthetic
SIN_SPACED = "718 392 657"
EMAIL = "thessaly.orbanque@example.org"

FORBIDDEN_VALUES = (
    GIVEN_NAME,
    FAMILY_NAME,
    f"{GIVEN_NAME} {FAMILY_NAME}",
    DATE_OF_BIRTH,
    "19870314",
    "1987/03/14",
    "14/03/1987",
    "03/14/1987",
    "14-03-1987",
    "03-14-1987",
    SIN_DIGITS,
    SIN_SPACED,
    "718-392-657",
    EMAIL,
)
"""Every form in which the client's direct identifiers could leak."""

EXPECTED_EVENT_COUNTS = Counter(
    {
        "intake.ClientRegistered": 1,
        "intake.SuitabilityAssessed": 1,
        "intake.EligibilityDetermined": 1,
        "caseload.ServicePlanOpened": 1,
        "caseload.PlanItemAdded": 2,  # the CSPC item opened with the plan, and job search
        "caseload.ServiceStarted": 1,
        "caseload.ServiceCompleted": 1,
        "caseload.ReferralRecorded": 1,
        "caseload.ServicePlanClosed": 1,
        "caseload.SatisfactionRecorded": 1,
        "caseload.FollowUpRecorded": 1,
    }
)
"""The distinct events (by ``event_id``) the journey must publish about the client."""


def _luhn_valid(digits: str) -> bool:
    """Whether ``digits`` pass the Luhn check that SINs satisfy."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@dataclass(frozen=True)
class RunningServices:
    """Both services, up and ready."""

    intake: ServiceProcess
    caseload: ServiceProcess

    def outputs(self) -> str:
        """Both processes' output, for failure messages."""
        return "\n".join(
            f"--- {service.name} ---\n{service.output()}"
            for service in (self.intake, self.caseload)
        )


@pytest.fixture
def service_env(kafka: KafkaUnderTest) -> Iterator[dict[str, str]]:
    """What every service process shares beyond :func:`service_environment`: fresh groups."""
    yield {"CASELOAD_KNOWN_CLIENTS_GROUP": kafka.unique("caseload.known-clients")}


def _start(
    name: str, url: str, env: dict[str, str], kafka: KafkaUnderTest, log_dir: Path
) -> ServiceProcess:
    """``eocms serve NAME`` on its own database and the session's broker."""
    return start_service_process(
        name,
        service_environment(
            name,
            database_url=url,
            bootstrap_servers=kafka.bootstrap_servers,
            local_broker=kafka.local,
            data_dir=log_dir / f"{name}-data",
            extra=env,
        ),
        log_dir,
    )


@pytest.fixture
async def services(
    service_env: dict[str, str],
    kafka: KafkaUnderTest,
    postgres_database_factory: DatabaseFactory,
    tmp_path: Path,
) -> AsyncIterator[RunningServices]:
    """Intake and caseload as separate processes, each on its own fresh database."""
    intake_url = await postgres_database_factory()
    caseload_url = await postgres_database_factory()
    started: list[ServiceProcess] = []
    try:
        started.append(_start("intake", intake_url, service_env, kafka, tmp_path))
        started.append(_start("caseload", caseload_url, service_env, kafka, tmp_path))
        for service in started:
            await service.wait_ready()
        yield RunningServices(intake=started[0], caseload=started[1])
    finally:
        for service in started:
            service.stop()


class Caseworker:
    """A caseworker of site S001 calling the services over HTTP."""

    def __init__(self, http: httpx.AsyncClient, services: RunningServices) -> None:
        self.http = http
        self.services = services
        token = mint_dev_token(
            AuthSettings(), subject="e2e-caseworker", roles=["caseworker"], site_ids=[SITE]
        )
        self.authorization = f"Bearer {token}"

    def headers(self, key: str | None = None) -> dict[str, str]:
        """Bearer token and a fresh (or given) idempotency key."""
        return {
            "Authorization": self.authorization,
            "Idempotency-Key": key or f"e2e-{uuid.uuid4()}",
        }

    async def command(
        self, base_url: str, path: str, body: dict[str, Any], expected_status: int = 200
    ) -> dict[str, Any]:
        """POST a command with a fresh idempotency key; fail with the outputs if refused."""
        answer = await self.http.post(f"{base_url}{path}", json=body, headers=self.headers())
        if answer.status_code != expected_status:
            pytest.fail(
                f"POST {path} answered {answer.status_code} (wanted {expected_status}): "
                f"{answer.text}\n{self.services.outputs()}"
            )
        result: dict[str, Any] = answer.json()
        return result


def _registration() -> dict[str, Any]:
    """An eligible client registered at S001 in fiscal year 2012-13."""
    return {
        "site_id": SITE,
        "registered_on": "2012-05-01",
        "personal_details": {
            "given_name": GIVEN_NAME,
            "family_name": FAMILY_NAME,
            "date_of_birth": DATE_OF_BIRTH,
            "sin": SIN_SPACED,
            "email": EMAIL,
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


async def _eventually(check: Callable[[], Awaitable[Any]], timeout_s: float, what: str) -> Any:
    """Call ``check`` until it returns something truthy, or fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not (result := await check()):
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout_s}s: {what}")
        await asyncio.sleep(0.5)
    return result


async def _open_plan_once_known(
    caseworker: Caseworker, client_id: str
) -> tuple[dict[str, Any], str]:
    """Open the plan, retrying while caseload has not yet learned of the client."""
    body = {
        "client_id": client_id,
        "site_id": SITE,
        "goal": "Find full-time work in warehouse logistics",
        "opened_on": "2012-05-02",
    }
    waiting_for = ("/problems/unknown-client", "/problems/client-not-eligible")
    last: list[str] = []

    async def opened() -> dict[str, Any] | None:
        """the plan opens (caseload knows the client as registered and eligible)"""
        answer = await caseworker.http.post(
            f"{caseworker.services.caseload.base_url}/service-plans",
            json=body,
            headers=caseworker.headers(),  # a refusal is stored under its key: use a new one
        )
        if answer.status_code in (422, 503) and answer.json().get("type") in waiting_for:
            last[:] = [answer.text]
            return None
        if answer.status_code != 201:
            pytest.fail(f"opening the plan answered {answer.status_code}: {answer.text}")
        return {"plan": answer.json(), "location": answer.headers["Location"]}

    try:
        result = await _eventually(
            opened, KNOWN_CLIENT_DEADLINE_S, "caseload learns of the client from intake's events"
        )
    except pytest.fail.Exception:
        pytest.fail(
            f"caseload never knew client {client_id} (last answer: {last})\n"
            f"{caseworker.services.outputs()}"
        )
    return result["plan"], result["location"]


async def _drive_journey(caseworker: Caseworker) -> tuple[str, str]:
    """The whole journey over HTTP; returns the client id and the plan id."""
    intake_url = caseworker.services.intake.base_url
    caseload_url = caseworker.services.caseload.base_url

    client = await caseworker.command(intake_url, "/clients", _registration(), 201)
    client_id = str(client["client_id"])
    read = await caseworker.http.get(
        f"{intake_url}/clients/{client_id}", headers=caseworker.headers()
    )
    assert read.status_code == 200, read.text
    assert read.json()["personal_details"]["family_name"] == FAMILY_NAME

    plan, location = await _open_plan_once_known(caseworker, client_id)
    plan_id = str(plan["plan_id"])
    assert location == f"/service-plans/{plan_id}"
    assert plan["client_id"] == client_id
    assert [item["component"] for item in plan["items"]] == ["cspc"]

    steps: list[tuple[str, dict[str, Any]]] = [
        (
            "/items",
            {
                "component": "job-search",
                "sub_goal": "Apply to five employers a week",
                "added_on": "2012-05-03",
            },
        ),
        ("/services/job-search/start", {"started_on": "2012-05-04"}),
        ("/services/job-search/complete", {"completed_on": "2012-06-29"}),
        (
            "/referrals",
            {"direction": "out", "category": "second-career", "referred_on": "2012-07-03"},
        ),
        ("/closure", {"exit_date": "2012-09-28", "outcome": "employed-full-time"}),
        ("/satisfaction", {"rating": 5, "recorded_on": "2012-10-01"}),
        # Due 2012-12-28 (3 months after exit); the window runs 14 days before to 28 after.
        (
            "/follow-ups",
            {"checkpoint": 3, "outcome": "employed-full-time", "recorded_on": "2012-12-28"},
        ),
    ]
    for path, body in steps:
        before = plan["version"]
        plan = await caseworker.command(
            caseload_url,
            f"/service-plans/{plan_id}{path}",
            {"expected_version": before, **body},
        )
        assert plan["version"] == before + 1, (path, plan)

    final = await caseworker.http.get(
        f"{caseload_url}/service-plans/{plan_id}", headers=caseworker.headers()
    )
    assert final.status_code == 200, final.text
    view = final.json()
    assert view["status"] == "closed"
    assert view["exit"]["outcome"] == "employed-full-time"
    assert view["satisfaction"]["rating"] == 5
    assert [follow_up["checkpoint"] for follow_up in view["follow_ups"]] == [3]
    return client_id, plan_id


def _concerns(record: ConsumerRecord[bytes, bytes], client_id: str, plan_id: str) -> bool:
    """Whether a record is about this client or plan, by key, stream or payload."""
    if record.key is not None and record.key.decode(errors="replace") == client_id:
        return True
    try:
        value = json.loads(record.value or b"")
    except ValueError:
        return False
    if not isinstance(value, dict):
        return False
    stream = str(value.get("stream_id", ""))
    payload = value.get("payload")
    mentioned = isinstance(payload, dict) and (
        str(payload.get("client_id")) == client_id or str(payload.get("plan_id")) == plan_id
    )
    return client_id in stream or plan_id in stream or mentioned


async def _read_client_events(
    bootstrap_servers: str, client_id: str, plan_id: str
) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record about the client on both topics, read from the beginning, no group."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = [
            TopicPartition(topic, partition)
            for topic in (INTAKE_EVENTS, CASELOAD_EVENTS)
            for partition in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        assert {p.topic for p in partitions} == {INTAKE_EVENTS, CASELOAD_EVENTS}, partitions
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        found: list[ConsumerRecord[bytes, bytes]] = []
        deadline = time.monotonic() + EVENTS_DEADLINE_S
        while True:
            batches = await consumer.getmany(*partitions, timeout_ms=500)
            for records in batches.values():
                found.extend(r for r in records if _concerns(r, client_id, plan_id))
            if _distinct_types(found) >= EXPECTED_EVENT_COUNTS:
                return found
            if time.monotonic() > deadline:
                pytest.fail(
                    f"events missing after {EVENTS_DEADLINE_S}s: "
                    f"{EXPECTED_EVENT_COUNTS - _distinct_types(found)}"
                )
    finally:
        await consumer.stop()


def _distinct_types(records: list[ConsumerRecord[bytes, bytes]]) -> Counter[str]:
    """Event types counted once per ``event_id`` (the relay delivers at least once)."""
    seen: dict[str, str] = {}
    for record in records:
        try:
            value = json.loads(record.value or b"")
            seen[str(value["event_id"])] = str(value["event_type"])
        except (ValueError, KeyError, TypeError):
            continue
    return Counter(seen.values())


def _leaks(text: str) -> list[str]:
    """The forbidden personal values found in ``text`` (case-insensitive)."""
    lowered = text.lower()
    return [value for value in FORBIDDEN_VALUES if value.lower() in lowered]


async def test_a_client_journey_crosses_both_services_and_leaks_no_personal_data(
    services: RunningServices, kafka: KafkaUnderTest
) -> None:
    """Register, open a plan, serve, refer, close, rate, follow up: all events on the bus."""
    assert _luhn_valid(SIN_DIGITS)
    async with httpx.AsyncClient(timeout=30.0) as http:
        client_id, plan_id = await _drive_journey(Caseworker(http, services))

    records = await _read_client_events(kafka.bootstrap_servers, client_id, plan_id)

    registry = published_registry()
    for record in records:
        where = f"{record.topic}[{record.partition}]@{record.offset}"
        assert record.value is not None, where
        envelope = EventEnvelope.model_validate_json(record.value)
        registry.decode(envelope.event_type, envelope.schema_version, envelope.payload)
        assert record.key == client_id.encode(), (where, envelope.event_type, record.key)
        expected_topic = INTAKE_EVENTS if envelope.event_type.startswith("intake.") else None
        if expected_topic:
            assert record.topic == expected_topic, (where, envelope.event_type)
        else:
            assert record.topic == CASELOAD_EVENTS, (where, envelope.event_type)
        texts = [record.value.decode("utf-8", errors="replace")]
        texts += [
            f"{name}={value.decode('utf-8', errors='replace')}"
            for name, value in record.headers or ()
        ]
        leaked = [value for text in texts for value in _leaks(text)]
        assert not leaked, f"{where} {envelope.event_type} carries personal data: {leaked}"

    assert _distinct_types(records) == EXPECTED_EVENT_COUNTS
