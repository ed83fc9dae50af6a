"""Reporting is settled only once it shows the accepted commands' counts, twice the same."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from eocms.demo.settle import ReportingDidNotSettle, differences, wait_until_settled
from eocms.demo.simulator import Action, Step
from eocms.demo.tally import Tally


def _step(action: Action, ref: str, on: date, **body: Any) -> Step:
    client_ref = "client:1" if action is Action.OPEN_PLAN else None
    return Step("c", 0, action, on, "S001", ref, body, client_ref)


def _tally() -> Tally:
    tally = Tally(date(2012, 4, 1), date(2013, 3, 31))
    tally.record(
        _step(Action.REGISTER_CLIENT, "client:1", date(2012, 5, 1)),
        {"suitability": {"suitable": True}},
    )
    tally.record(_step(Action.OPEN_PLAN, "plan:1", date(2012, 5, 2)), {})
    tally.record(
        _step(Action.START_SERVICE, "plan:1", date(2012, 5, 3), component="job-search"), {}
    )
    tally.record(_step(Action.CLOSE_PLAN, "plan:1", date(2012, 8, 1)), {})
    tally.record(_step(Action.RATE_SATISFACTION, "plan:1", date(2012, 8, 2)), {})
    return tally


def _answer(started: int, suitable: int, closed: int, rated: int) -> dict[str, Any]:
    def measure(measure_id: str, numerator: int, denominator: int) -> dict[str, Any]:
        return {"measure_id": measure_id, "numerator": numerator, "denominator": denominator}

    return {
        "sites": [
            {
                "scope": "S001",
                "measures": [
                    measure("client_suitability", suitable, started),
                    measure("service_coordination", 0, closed),
                    measure("customer_satisfaction", rated, rated),
                ],
            }
        ]
    }


def test_counts_short_of_the_accepted_commands_are_differences() -> None:
    assert differences(_answer(1, 0, 1, 1), _tally())
    assert differences(_answer(1, 1, 0, 0), _tally())
    assert differences(_answer(1, 1, 1, 1), _tally()) == []


async def test_waits_until_the_counts_are_reached_and_the_answer_repeats() -> None:
    answers = [_answer(0, 0, 0, 0), _answer(1, 1, 1, 1), _answer(1, 1, 1, 1)]
    calls = []

    async def fetch() -> dict[str, Any]:
        calls.append(1)
        return copy.deepcopy(answers[min(len(calls), len(answers)) - 1])

    settled = await wait_until_settled(fetch, _tally())
    assert settled == _answer(1, 1, 1, 1)
    assert len(calls) == 3


async def test_gives_up_naming_what_is_missing() -> None:
    async def fetch() -> dict[str, Any]:
        return _answer(1, 0, 1, 1)

    with pytest.raises(ReportingDidNotSettle, match="S001"):
        await wait_until_settled(fetch, _tally(), timeout_s=0.3)
