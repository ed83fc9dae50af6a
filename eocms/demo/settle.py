"""Waiting until reporting has caught up with everything the services accepted.

Reporting is settled when, for every site, its year-to-date measures show
the counts the accepted commands imply (:class:`~eocms.demo.tally.Tally`), and
two answers in a row are identical (its read model refreshes in the
background). No fixed sleep: it polls until both hold, or gives up with what
is still missing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

from eocms.demo.tally import ExpectedCounts, Tally

POLL_INTERVAL_S = 0.25
SETTLE_TIMEOUT_S = 120.0


class ReportingDidNotSettle(RuntimeError):
    """Reporting's answer never reached the expected counts."""


def differences(measures: dict[str, Any], tally: Tally) -> list[str]:
    """What in a ``/measures`` answer still differs from the accepted commands' counts."""
    found = []
    for row in measures["sites"]:
        got = _counts(row)
        wanted = tally.expected(row["scope"])
        if got != wanted:
            found.append(f"{row['scope']}: reporting has {got}, expected {wanted}")
    return found


def _counts(row: dict[str, Any]) -> ExpectedCounts:
    by_id = {m["measure_id"]: m for m in row["measures"]}

    def value(measure: str, part: str) -> int:
        return int(by_id[measure][part]) if measure in by_id else -1

    return ExpectedCounts(
        started_clients=value("client_suitability", "denominator"),
        suitable_started_clients=value("client_suitability", "numerator"),
        closed_plans=value("service_coordination", "denominator"),
        rated_assisted_exits=value("customer_satisfaction", "denominator"),
    )


async def wait_until_settled(
    fetch: Callable[[], Any],
    tally: Tally,
    *,
    timeout_s: float = SETTLE_TIMEOUT_S,
    on_poll: Callable[[int, int], None] = lambda missing, sites: None,
) -> dict[str, Any]:
    """Poll ``fetch`` (an awaitable ``/measures`` answer) until it is settled; return it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    previous: dict[str, Any] | None = None
    while True:
        answer = await fetch()
        missing = differences(answer, tally)
        on_poll(len(missing), len(answer["sites"]))
        if not missing and answer == previous:
            return answer
        if loop.time() > deadline:
            raise ReportingDidNotSettle("; ".join(missing) or "the answers kept changing")
        previous = answer if not missing else None
        await asyncio.sleep(POLL_INTERVAL_S)


async def fetch_json(client: httpx.AsyncClient, url: str, token: str, **params: str) -> Any:
    """GET a reporting answer as JSON (raises on an error status)."""
    response = await client.get(url, params=params, headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    return response.json()
