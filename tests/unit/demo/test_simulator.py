"""The synthetic province: deterministic, believable, and different from site to site."""

from __future__ import annotations

from collections import Counter
from statistics import mean, pstdev

import pytest

from eocms.demo.simulator import Action, simulate
from eocms.demo.tally import ASSISTED_COMPONENTS


def _stream(seed: int) -> list[tuple[object, ...]]:
    scenario = simulate(seed=seed, sites=6, clients=300)
    return [
        (s.chain, s.index, s.action, s.on, s.site_id, s.ref, dict(s.body), s.client_ref)
        for s in scenario.steps
    ]


def test_the_same_seed_gives_the_same_command_stream() -> None:
    assert _stream(7) == _stream(7)


def test_another_seed_gives_another_command_stream() -> None:
    assert _stream(7) != _stream(8)


def test_every_chain_runs_forward_in_time_within_the_year() -> None:
    scenario = simulate(seed=3, sites=5, clients=200)
    for chain in scenario.chains:
        days = [step.on for step in chain]
        assert days == sorted(days)
        assert [step.index for step in chain] == list(range(len(chain)))
    later = [s for s in scenario.steps if s.action is not Action.SUBMIT_BUSINESS_PLAN]
    assert all(scenario.first_day <= s.on <= scenario.last_day for s in later)


def test_sizes_follow_the_options() -> None:
    scenario = simulate(seed=1, sites=9, clients=250, fiscal_year="2011-12")
    assert len(scenario.province.sites) == 9
    journeys = [c for c in scenario.chains if c[0].chain.startswith("client-")]
    assert len(journeys) == 250
    assert scenario.first_day.isoformat() == "2011-04-01"
    assert scenario.count(Action.SUBMIT_BUSINESS_PLAN) == 9


def test_rates_are_believable() -> None:
    scenario = simulate(seed=2012, sites=12, clients=1500)
    counts = Counter(step.action for step in scenario.steps)
    opened, closed = counts[Action.OPEN_PLAN], counts[Action.CLOSE_PLAN]
    assert 0.9 < opened / 1500 <= 1.0  # a few register too late in March to open a plan
    assert 0.5 < closed / opened < 0.9  # plans last 6 weeks to 7 months; late ones stay open
    assert 0.1 < counts[Action.REFER] / opened < 0.6
    assert 0.6 < counts[Action.RATE_SATISFACTION] / closed < 1.0
    assert counts[Action.FOLLOW_UP] < 3 * closed
    assert counts[Action.SUBMIT_SECOND_CAREER] > 0
    assert counts[Action.START_SEB] > 0
    assert counts[Action.CREATE_JCP_PROJECT] > 0
    assert counts[Action.REPORT_RESOURCE_AND_INFORMATION] == 11 * 12  # March: filed in April
    ratings = [s.body["rating"] for s in scenario.steps if s.action is Action.RATE_SATISFACTION]
    assert 0.6 < sum(r >= 4 for r in ratings) / len(ratings) < 0.95
    started = [s.body["component"] for s in scenario.steps if s.action is Action.START_SERVICE]
    assert sum(c in ASSISTED_COMPONENTS for c in started) / opened > 0.7


def test_sites_differ_in_their_rates() -> None:
    scenario = simulate(seed=2012, sites=12, clients=0)
    sites = scenario.province.sites
    for rate in ("barriers", "referral_out", "impact", "satisfied", "intake_vs_plan"):
        values = [getattr(site, rate) for site in sites]
        assert pstdev(values) > 0.04, rate
        assert 0 < mean(values) < 1.2


def test_sites_differ_in_their_outcomes() -> None:
    scenario = simulate(seed=5, sites=8, clients=1200)
    positive, closed = Counter(), Counter()
    for step in scenario.steps:
        if step.action is Action.CLOSE_PLAN:
            closed[step.site_id] += 1
            positive[step.site_id] += step.body["outcome"].startswith(("employed", "in-", "self"))
    shares = [positive[site] / closed[site] for site in closed]
    assert max(shares) - min(shares) > 0.15


def test_providers_and_regions_group_the_sites() -> None:
    sites = simulate(seed=11, sites=20, clients=0).province.sites
    assert len({s.provider_id for s in sites}) < 20
    assert {s.region for s in sites} <= {"central", "eastern", "western", "northern"}
    assert len({s.site_id for s in sites}) == 20


def test_no_site_and_an_unknown_fiscal_year_are_refused() -> None:
    with pytest.raises(ValueError):
        simulate(seed=1, sites=0, clients=10)
    with pytest.raises(ValueError):
        simulate(seed=1, sites=1, clients=10, fiscal_year="2012-14")
