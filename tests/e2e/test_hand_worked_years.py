"""A hand-worked scenario through the four services and the local broker, a v1 and a v2 year.

The same ten clients at two sites (S101, S102 of provider P1, east region) are
served in the first quarter of 2011-12 (rule book 2011-12: Service
Coordination ``v1``) and, as ten new clients, of 2012-13 (rule book 2012-13:
``v2``). Everything goes over HTTP: intake registers (with how the client
came: ``referral_source``), caseload learns of the client from intake's events
on the bus and the caseworker opens, serves, refers, closes and records the
rating; programs takes each site's business plan (the region's consultant
approves it); reporting folds every event from the bus. ``GET /measures`` for
q1 must then show, to the last digit, the figures worked by hand below, for
each site and for the sites' roll-up. The hand work follows DOMAIN.md ("ES
performance measures"), not the code.

The clients (the same design each year; dates in April to June):

====  =====  ==============  ========  =========  =======================  =============  ======
who   site   came            suitable  Job Search referrals on the plan    outcome        rating
====  =====  ==============  ========  =========  =======================  =============  ======
C1    S101   eo-program      yes (4)   yes        -                        employed f-t   5
C2    S101   self-referred   no (0)    yes        in at opening; out at    in-training    3
                                                  exit
C3    S101   community/gov.  yes (4)   no         in (recorded later)      unemployed     4
C4    S101   self-referred   no (0)    yes        -                        employed p-t   4
C5    S101   self-referred   yes (4)   yes        -                        (still open)   -
C6    S101   self-referred   no (0)    yes        -                        unemployed     -
D1    S102   self-referred   yes (4)   yes        out x2 during; out at    employed p-t   4
                                                  exit
D2    S102   self-referred   no (0)    yes        -                        self-employed  2
D3    S102   eo-program      no (0)    yes        -                        in-education   1
D4    S102   self-referred   no (0)    yes        -                        unemployed     -
====  =====  ==============  ========  =========  =======================  =============  ======

"suitable (4)": income from Ontario Works, 7 months out of work, 8 years out of
school, interrupted employment: 4 indicators, at least the threshold of 2.
"no (0)": EI income, 2 months out of work, 3 years out of school, no interrupted
employment, grade 12, aged 25-44, no designated group: 0 indicators.
Business plans commit 16 assisted clients a year at S101 and 20 at S102:
pro-rated to q1's 3 whole months, 16 x 3/12 = 4 and 20 x 3/12 = 5.

Worked by hand (weights 15/25/20/30/10 %, scores weight x 10 x achievement,
achievement = the rate capped at 100%; intake's = actual / committed, capped):

S101. Closed in q1: C1, C2, C3, C4, C6 = 5 plans; started: C1..C6 = 6 clients.
- Customer Satisfaction: assisted participants exited who rated: C1 (5), C2 (3),
  C4 (4); C3 had no assisted service, C6 gave no rating. Rated 4-5: C1, C4.
  2 / 3 = 66.7%; score 0.15 x 10 x 2/3 = 1.00.
- Service Coordination v1 (2011-12), referral records of the closed plans:
  C1 1 (in, at registration), C2 2 (in on the plan, out at exit), C3 1 (in at
  registration and on the plan: one arrival, counted once), C4 0, C6 0.
  4 / 5 = 80.0%; score 0.25 x 10 x 0.8 = 2.00.
  v2 (2012-13), closed plans with at least one: C1, C2, C3. 3 / 5 = 60.0%;
  score 0.25 x 10 x 0.6 = 1.50.
- Client Suitability: suitable among the 6 who started: C1, C3, C5.
  3 / 6 = 50.0%; score 0.20 x 10 x 0.5 = 1.00.
- Employed / Career Path: employed among the 5 closed: C1, C4. 2 / 5 = 40.0%;
  score 0.30 x 10 x 0.4 = 1.20.
- Assisted Services Intake: 6 opened / 4 committed = 150.0%, capped at 100%:
  score 0.10 x 10 x 1 = 1.00.
- SQS v1: 1.00 + 2.00 + 1.00 + 1.20 + 1.00 = 6.20 (Customer Service 3.00,
  Effectiveness 2.20, Efficiency 1.00): meets the provincial standard 5.825
  (0.15 x 0.85 + 0.25 x 0.30 + 0.20 x 0.40 + 0.30 x 0.70 + 0.10 x 0.90, x 10).
  SQS v2: 1.00 + 1.50 + 1.00 + 1.20 + 1.00 = 5.70 (Customer Service 2.50):
  below 5.825.

S102. Closed: D1..D4 = 4 plans; started: D1..D4 = 4 clients.
- Customer Satisfaction: rated: D1 (4), D2 (2), D3 (1); rated 4-5: D1.
  1 / 3 = 33.3%; score 0.15 x 10 x 1/3 = 0.50.
- Service Coordination v1: D1 3 (two out during service, one at exit), D2 0,
  D3 1 (in, at registration), D4 0. 4 / 4 = 100.0%; score 2.50.
  v2: D1, D3. 2 / 4 = 50.0%; score 0.25 x 10 x 0.5 = 1.25.
- Client Suitability: D1 of 4. 1 / 4 = 25.0%; score 0.20 x 10 x 0.25 = 0.50.
- Employed / Career Path: D1, D2 of 4. 2 / 4 = 50.0%; score 0.30 x 10 x 0.5 = 1.50.
- Assisted Services Intake: 4 / 5 = 80.0%; score 0.10 x 10 x 0.8 = 0.80.
- SQS v1: 0.50 + 2.50 + 0.50 + 1.50 + 0.80 = 5.80 (3.00, 2.00, 0.80): below.
  SQS v2: 0.50 + 1.25 + 0.50 + 1.50 + 0.80 = 4.55 (1.75, 2.00, 0.80): below.

The roll-up of both sites (the site manager's "sites"): counts add up.
- Customer Satisfaction (2+1) / (3+3) = 3/6 = 50.0%; score 0.75.
- Service Coordination v1 (4+4) / (5+4) = 8/9 = 88.9%; score 0.25 x 10 x 8/9 =
  2.2222 -> 2.22. v2 (3+2) / 9 = 5/9 = 55.6%; score 1.3889 -> 1.39.
- Client Suitability (3+1) / (6+4) = 4/10 = 40.0%; score 0.80.
- Employed / Career Path (2+2) / (5+4) = 4/9 = 44.4%; score 0.30 x 10 x 4/9 =
  1.3333 -> 1.33.
- Assisted Services Intake (6+4) / (4+5) = 10/9 = 111.1%, capped: score 1.00.
- SQS v1 = 0.75 + 20/9 + 0.80 + 4/3 + 1.00 = 6.1056 -> 6.11 (rounded once;
  Customer Service 2.9722 -> 2.97, Effectiveness 2.1333 -> 2.13, Efficiency
  1.00): meets. SQS v2 = 0.75 + 25/18 + 0.80 + 4/3 + 1.00 = 5.2722 -> 5.27
  (Customer Service 2.1389 -> 2.14): below.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from chassis.http import mint_dev_token
from eocms.demo.stack import RunningSystem, running_system
from tests.integration.programs.service import commitments

pytestmark = [pytest.mark.slow]

SITES = ("S101", "S102")
PLANNED_ASSISTED = {"S101": 16, "S102": 20}
BUS_DEADLINE_S = 90.0

SUITABLE = {
    "income_source": "ontario-works",
    "months_out_of_work": 7,
    "years_out_of_school": 8,
    "interrupted_employment": True,
}
NOT_SUITABLE = {
    "income_source": "employment-insurance",
    "months_out_of_work": 2,
    "years_out_of_school": 3,
    "interrupted_employment": False,
}


@dataclass(frozen=True)
class Client:
    """One client's design (see the module's table)."""

    name: str
    site: str
    came: str
    suitable: bool
    job_search: bool = True
    in_at_opening: str | None = None
    in_recorded_later: str | None = None
    outs_during: tuple[str, ...] = ()
    out_at_exit: str | None = None
    outcome: str | None = None
    rating: int | None = None


CLIENTS = (
    Client("C1", "S101", "eo-program", True, outcome="employed-full-time", rating=5),
    Client(
        "C2",
        "S101",
        "self-referred",
        False,
        in_at_opening="community-resource",
        out_at_exit="apprenticeship",
        outcome="in-training",
        rating=3,
    ),
    Client(
        "C3",
        "S101",
        "community-or-government",
        True,
        job_search=False,
        in_recorded_later="government-service",
        outcome="unemployed",
        rating=4,
    ),
    Client("C4", "S101", "self-referred", False, outcome="employed-part-time", rating=4),
    Client("C5", "S101", "self-referred", True),
    Client("C6", "S101", "self-referred", False, outcome="unemployed"),
    Client(
        "D1",
        "S102",
        "self-referred",
        True,
        outs_during=("literacy-and-basic-skills", "community-resource"),
        out_at_exit="second-career",
        outcome="employed-part-time",
        rating=4,
    ),
    Client("D2", "S102", "self-referred", False, outcome="self-employed", rating=2),
    Client("D3", "S102", "eo-program", False, outcome="in-education", rating=1),
    Client("D4", "S102", "self-referred", False, outcome="unemployed"),
)

MEASURES = (
    "customer_satisfaction",
    "service_coordination",
    "client_suitability",
    "client_impact",
    "service_efficiency",
)
# Per year, per scope: each measure's (numerator, denominator, actual %, score), then
# the SQS, its dimension sub-scores and whether it meets the provincial standard.
EXPECTED: dict[str, dict[str, Any]] = {
    "2011-12": {
        "S101": ([(2, 3, 66.7, 1.0), (4, 5, 80.0, 2.0), (3, 6, 50.0, 1.0), (2, 5, 40.0, 1.2),
                  (6, 4, 150.0, 1.0)], 6.2, (3.0, 2.2, 1.0), True),
        "S102": ([(1, 3, 33.3, 0.5), (4, 4, 100.0, 2.5), (1, 4, 25.0, 0.5), (2, 4, 50.0, 1.5),
                  (4, 5, 80.0, 0.8)], 5.8, (3.0, 2.0, 0.8), False),
        "sites": ([(3, 6, 50.0, 0.75), (8, 9, 88.9, 2.22), (4, 10, 40.0, 0.8),
                   (4, 9, 44.4, 1.33), (10, 9, 111.1, 1.0)], 6.11, (2.97, 2.13, 1.0), True),
    },
    "2012-13": {
        "S101": ([(2, 3, 66.7, 1.0), (3, 5, 60.0, 1.5), (3, 6, 50.0, 1.0), (2, 5, 40.0, 1.2),
                  (6, 4, 150.0, 1.0)], 5.7, (2.5, 2.2, 1.0), False),
        "S102": ([(1, 3, 33.3, 0.5), (2, 4, 50.0, 1.25), (1, 4, 25.0, 0.5), (2, 4, 50.0, 1.5),
                  (4, 5, 80.0, 0.8)], 4.55, (1.75, 2.0, 0.8), False),
        "sites": ([(3, 6, 50.0, 0.75), (5, 9, 55.6, 1.39), (4, 10, 40.0, 0.8),
                   (4, 9, 44.4, 1.33), (10, 9, 111.1, 1.0)], 5.27, (2.14, 2.13, 1.0), False),
    },
}  # fmt: skip
DIMENSIONS = ("customer_service", "effectiveness", "efficiency")
RULE_VERSIONS = {"2011-12": "v1", "2012-13": "v2"}
PROVINCIAL_STANDARD = 5.825


def expected_rows(fiscal_year: str) -> dict[str, dict[str, Any]]:
    """What ``/measures`` must show per scope, in the shape compared."""
    rows = {}
    for scope, (measures, sqs, dimensions, meets) in EXPECTED[fiscal_year].items():
        rows[scope] = {
            "sqs": sqs,
            "meets": meets,
            "dimensions": dict(zip(DIMENSIONS, dimensions, strict=True)),
            "measures": {
                measure: {"numerator": n, "denominator": d, "actual_percent": a, "score": s}
                for measure, (n, d, a, s) in zip(MEASURES, measures, strict=True)
            },
        }
    return rows


def shown_rows(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``/measures``'s answer in the shape compared."""
    rows = {}
    for row in [*answer["sites"], answer["rollup"]]:
        by_id = {m["measure_id"]: m for m in row["measures"]}
        rows[row["scope"]] = {
            "sqs": row["sqs"],
            "meets": row["meets_provincial_standard"],
            "dimensions": row["dimension_scores"],
            "measures": {
                measure: {
                    key: by_id[measure][key]
                    for key in ("numerator", "denominator", "actual_percent", "score")
                }
                for measure in MEASURES
            },
        }
    return rows


class Staff:
    """The sites' caseworker and manager and the region's consultant, over HTTP."""

    def __init__(self, http: httpx.AsyncClient, system: RunningSystem) -> None:
        self.http, self.urls = http, system.urls
        self.tokens = {
            role: mint_dev_token(
                system.auth,
                subject=f"hand-{role}",
                roles=[role],
                site_ids=list(SITES),
                region="east",
            )
            for role in ("caseworker", "site_manager", "ministry_consultant")
        }
        self.sent = 0

    async def post(
        self, service: str, path: str, body: dict[str, Any], role: str = "caseworker"
    ) -> httpx.Response:
        """A command with a fresh idempotency key."""
        self.sent += 1
        headers = {
            "Authorization": f"Bearer {self.tokens[role]}",
            "Idempotency-Key": f"hand-worked-{self.sent}-{time.monotonic_ns()}",
        }
        return await self.http.post(self.urls[service] + path, json=body, headers=headers)

    async def command(
        self, service: str, path: str, body: dict[str, Any], role: str = "caseworker"
    ) -> dict[str, Any]:
        """A command that must succeed; its answer."""
        answer = await self.post(service, path, body, role)
        assert answer.status_code in (200, 201), f"POST {path}: {answer.text}"
        result: dict[str, Any] = answer.json()
        return result

    async def get(self, service: str, path: str, params: dict[str, str]) -> httpx.Response:
        """A query as the sites' manager (site staff see their own counts unsuppressed)."""
        headers = {"Authorization": f"Bearer {self.tokens['site_manager']}"}
        return await self.http.get(self.urls[service] + path, params=params, headers=headers)


def registration(client: Client, registered_on: date) -> dict[str, Any]:
    """A fictional person (no real data) with the client's suitability and arrival."""
    facts = SUITABLE if client.suitable else NOT_SUITABLE
    return {
        "site_id": client.site,
        "registered_on": registered_on.isoformat(),
        "personal_details": {
            "given_name": f"Handworked{client.name}",
            "family_name": "Testcase",
            "date_of_birth": "1985-06-15",
        },
        "profile": {
            "education_level": "grade-12",
            **facts,
            "no_canadian_work_experience": False,
            "designated_groups": [],
            "referral_source": client.came,
            "hours_worked_per_week": 0,
            "in_full_time_education": False,
        },
    }


async def serve(staff: Staff, client: Client, number: int, first_year: int) -> None:
    """The client's journey in q1 of the fiscal year starting in April ``first_year``."""
    registered_on = date(first_year, 4, 2 + number)
    opened_on = registered_on + timedelta(days=1)
    exit_on = date(first_year, 6, 10 + number)
    registered = await staff.command("intake", "/clients", registration(client, registered_on))
    opening = {
        "client_id": registered["client_id"],
        "site_id": client.site,
        "goal": "Find steady work",
        "opened_on": opened_on.isoformat(),
        "referred_in_from": client.in_at_opening,
    }
    deadline = time.monotonic() + BUS_DEADLINE_S
    while True:  # caseload learns of the client from intake's events on the bus
        answer = await staff.post("caseload", "/service-plans", opening)
        if answer.status_code == 201 or time.monotonic() > deadline:
            break
        assert answer.json().get("type") in ("/problems/unknown-client",), answer.text
        await asyncio.sleep(0.2)
    assert answer.status_code == 201, answer.text
    plan = answer.json()
    path = f"/service-plans/{plan['plan_id']}"
    steps: list[tuple[str, dict[str, Any]]] = []
    if client.job_search:
        day = (opened_on + timedelta(days=1)).isoformat()
        steps.append(("/items", {"component": "job-search", "added_on": day, "started_on": day}))
    if client.in_recorded_later:
        day = (opened_on + timedelta(days=2)).isoformat()
        steps.append(("/referrals", {"direction": "in", "category": client.in_recorded_later,
                                     "referred_on": day}))  # fmt: skip
    for offset, category in enumerate(client.outs_during, start=3):
        day = (opened_on + timedelta(days=offset)).isoformat()
        steps.append(("/referrals", {"direction": "out", "category": category, "referred_on": day}))
    if client.out_at_exit:
        steps.append(("/referrals", {"direction": "out", "category": client.out_at_exit,
                                     "referred_on": exit_on.isoformat()}))  # fmt: skip
    if client.outcome:
        steps.append(("/closure", {"exit_date": exit_on.isoformat(), "outcome": client.outcome}))
    if client.rating:
        steps.append(("/satisfaction", {"rating": client.rating,
                                        "recorded_on": exit_on.isoformat()}))  # fmt: skip
    for suffix, body in steps:
        plan = await staff.command("caseload", path + suffix, {"expected_version": plan["version"],
                                                                **body})  # fmt: skip


async def business_plans(staff: Staff, fiscal_year: str, submitted_on: str) -> None:
    """Each site's plan, submitted by its manager and approved by the region's consultant."""
    for site in SITES:
        body = {
            "site_id": site,
            "fiscal_year": fiscal_year,
            "commitments": {
                **commitments(),
                "planned_assisted_clients": PLANNED_ASSISTED[site],
                "continuous_improvement": {"client_impact": 45.0}
                if fiscal_year == "2012-13"
                else {},
            },
            "submitted_on": submitted_on,
        }
        plan = await staff.command("programs", "/business-plans", body, "site_manager")
        approval = {"expected_version": plan["version"], "approved_on": submitted_on}
        await staff.command(
            "programs", f"/business-plans/{plan['plan_id']}/approval", approval,
            "ministry_consultant",
        )  # fmt: skip


async def measures_once_settled(staff: Staff, fiscal_year: str) -> dict[str, Any]:
    """``/measures`` for q1 once reporting folded every plan (or the deadline passed)."""
    expected = expected_rows(fiscal_year)
    deadline = time.monotonic() + BUS_DEADLINE_S
    while True:
        answer = await staff.get(
            "reporting", "/measures", {"fiscal_year": fiscal_year, "period": "q1"}
        )
        if answer.status_code == 200 and (
            shown_rows(answer.json()) == expected or time.monotonic() > deadline
        ):
            return dict(answer.json())
        assert time.monotonic() < deadline, answer.text
        await asyncio.sleep(0.5)


async def run_both_years(tmp_path: Path) -> dict[str, dict[str, Any]]:
    sites_file = tmp_path / "sites.json"
    sites_file.write_text(
        json.dumps([{"site_id": s, "provider_id": "P1", "region": "east"} for s in SITES])
    )
    answers = {}
    async with (
        running_system(tmp_path / "stores", sites_file) as system,
        httpx.AsyncClient(timeout=30.0) as http,
    ):
        staff = Staff(http, system)
        await business_plans(staff, "2011-12", "2011-03-01")
        await business_plans(staff, "2012-13", "2011-12-15")
        for first_year in (2011, 2012):
            await asyncio.gather(
                *(serve(staff, c, n, first_year) for n, c in enumerate(CLIENTS, start=1))
            )
        for fiscal_year in ("2011-12", "2012-13"):
            answers[fiscal_year] = await measures_once_settled(staff, fiscal_year)
    return answers


def test_a_v1_year_and_a_v2_year_match_the_hand_worked_figures(tmp_path: Path) -> None:
    answers = asyncio.run(run_both_years(tmp_path))
    for fiscal_year, answer in answers.items():
        assert shown_rows(answer) == expected_rows(fiscal_year), fiscal_year
        assert answer["provincial_standard"] == PROVINCIAL_STANDARD
        assert answer["rulebook_version"].startswith(fiscal_year)
        for row in [*answer["sites"], answer["rollup"]]:
            coordination = next(
                m for m in row["measures"] if m["measure_id"] == "service_coordination"
            )
            assert coordination["rule_version"] == RULE_VERSIONS[fiscal_year]
        assert answer["rollup"]["scope"] == "sites"
