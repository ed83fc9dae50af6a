"""The dashboard document over the hand-worked scenario (tests/unit/reporting/scenario.py).

A fake read model answers each stored period with the domain's counts over the
scenario's facts, as the refresher would have stored them. Checked: months
without data are gaps (null), never 0; each scope's indicators are its sites'
counts summed; compliance items and their per-scope summaries.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from fractions import Fraction
from typing import Any

from contracts.rulebook import RuleBook, load_rulebook
from services.reporting.app.measure_periods import materialized_periods
from services.reporting.app.ports import StoredPeriod
from services.reporting.domain import ReportingFacts, Site, counts_for_site
from services.reporting.domain.compliance import SiteCompliance
from services.reporting.domain.indicators import ResponseRate
from services.reporting.entrypoints.dashboard_compliance import (
    compliance_items,
    summarise_compliance,
)
from services.reporting.entrypoints.dashboard_document import dashboard_document
from tests.unit.reporting.scenario import SITES, scenario_facts

RULEBOOK = load_rulebook("2012-13")
FACTS = scenario_facts()
END_OF_JULY = date(2012, 7, 31)


class ScenarioReadModel:
    """The scenario's facts; stored periods are the domain's counts over them."""

    async def sites(self) -> list[Site]:
        return SITES

    async def rulebook(self, fiscal_year: str) -> RuleBook:
        return RULEBOOK

    async def stored_period(
        self, fiscal_year: str, period_key: str, site_ids: Collection[str] | None
    ) -> StoredPeriod:
        period = dict(materialized_periods(fiscal_year))[period_key]
        ids = [s.site_id for s in SITES] if site_ids is None else list(site_ids)
        commitments = {
            s: {k: Fraction(v) for k, v in c.measure_commitments.items()}
            for s in ids
            if (c := FACTS.commitment(s, fiscal_year)) is not None
        }
        return StoredPeriod(
            rulebook=RULEBOOK,
            counts={s: counts_for_site(FACTS, s, period, RULEBOOK) for s in ids},
            measure_commitments=commitments,
        )

    async def facts_for(self, site_ids: Collection[str], fiscal_year: str) -> ReportingFacts:
        return FACTS


async def document(period: str, visible: Collection[str] | None = None) -> dict[str, Any]:
    return await dashboard_document(
        ScenarioReadModel(),
        "2012-13",
        period,
        as_of=END_OF_JULY,
        visible_sites=visible,
        fiscal_years=["2012-13"],
    )


async def test_a_month_without_data_is_a_gap_not_a_fall_to_zero() -> None:
    trend = (await document("q1"))["trend"]
    assert trend["months"] == ["2012-04", "2012-05", "2012-06", "2012-07"]
    # C: plans in April and May only, no business plan: June and July have nothing.
    assert trend["sqs"]["site:C"][:2] == [0.0, 2.5]  # April's 0 is a real 0 (nothing met)
    assert trend["sqs"]["site:C"][2:] == [None, None]
    assert all(series[2:] == [None, None] for series in trend["actual"]["site:C"].values())
    # A: nothing in July but its business plan's intake share, which is not data.
    assert trend["sqs"]["site:A"][3] is None
    assert trend["actual"]["site:A"]["service_efficiency"][3] is None
    # The province has B4's July exit: a value.
    assert trend["sqs"]["province"][3] is not None


async def test_each_scope_has_its_sites_indicators_summed() -> None:
    scopes = (await document("q1"))["scopes"]

    def rows(key: str) -> dict[str, dict[str, Any]]:
        return {row["indicator_id"]: row for row in scopes[key]["indicators"]}

    site_a = rows("site:A")
    # A1 out during service and at exit, A3 referred in; A4's referral after exit counts
    # under no rule.
    assert [site_a[k]["count"] for k in ("plans_closed", "referred_in",
            "referred_out_during_service", "referred_out_at_exit")] == [4, 1, 1, 1]  # fmt: skip
    assert {k: site_a[k]["measure_id"] for k in ("plans_closed", "response_rate:all")} == {
        "plans_closed": "service_coordination",
        "response_rate:all": "customer_satisfaction",
    }
    # Assisted exits A1, A2, A4 (A3 had CSPC only), all rated.
    everyone = site_a["response_rate:all"]
    assert (everyone["numerator"], everyone["denominator"]) == (3, 3)
    assert site_a["response_rate:jmpi"]["actual_percent"] == 100.0  # A2
    province = rows("province")
    assert [province[k]["count"] for k in ("plans_closed", "referred_in",
            "referred_out_during_service", "referred_out_at_exit")] == [7, 2, 3, 1]  # fmt: skip
    assert province["response_rate:all"]["denominator"] == 5  # A1 A2 A4 B1 B3
    assert province["response_rate:all"]["below_gate"] is False
    assert province["suitability_per_client"]["denominator"] == 9  # A1-4, B1 B2 B4, C1 C2
    for key in ("training_education", "service_impacts"):  # analysis only, beside Employed
        assert province[key]["measure_id"] == "client_impact"
        summed = sum(rows(f"site:{s}")[key]["numerator"] for s in "ABC")
        assert province[key]["numerator"] == summed
    east = rows("region:east")
    assert east["plans_closed"]["count"] == site_a["plans_closed"]["count"] + 2  # B1 B3


async def test_a_site_manager_s_indicators_cover_their_sites_only() -> None:
    scopes = (await document("q1", visible={"B"}))["scopes"]
    assert set(scopes) == {"sites", "region:east", "provider:P1", "site:B"}
    closed = {k: s["indicators"][0]["count"] for k, s in scopes.items()}
    assert closed == dict.fromkeys(scopes, 2)  # B1, B3


def _site(site_id: str, **flags: Any) -> tuple[Site, SiteCompliance]:
    site = next(s for s in SITES if s.site_id == site_id)
    return site, SiteCompliance(site_id=site_id, as_of=END_OF_JULY, **flags)


def test_compliance_lists_flagged_and_suppressed_counts_never_zeros() -> None:
    rows = [
        _site("A", business_plan_missing=True),
        _site("B", low_response_rates=[ResponseRate("jmpi", 1, 10, True)]),
    ]
    counts = [
        {"follow_ups_due": 0, "follow_ups_missed": 7, "inactive_plans": None},
        {"follow_ups_due": None, "follow_ups_missed": 0, "inactive_plans": 0},
    ]
    items = compliance_items(rows, counts, date(2011, 12, 16))
    assert items == [
        {"kind": "follow_ups_missed", "scope": "site:A", "count": 7},
        {"kind": "inactive_plans", "scope": "site:A", "count": None},  # maybe 0: not told
        {"kind": "business_plan_missing", "scope": "site:A", "due_on": "2011-12-16"},
        {"kind": "follow_ups_due", "scope": "site:B", "count": None},
        {
            "kind": "low_response_rate",
            "scope": "site:B",
            "component": "jmpi",
            "numerator": 1,
            "denominator": 10,
            "actual_percent": 10.0,
        },
    ]


def test_each_scope_summarises_the_flags_of_its_sites() -> None:
    site = {"level": "site", "children": []}
    document = {
        "scopes": {
            "province": {"level": "province", "name": "province"},
            "region:east": {"level": "region", "name": "east"},
            "provider:P1": {"level": "provider", "name": "P1"},
            "site:A": {**site, "name": "A", "provider_id": "P1", "region": "east"},
            "site:B": {**site, "name": "B", "provider_id": "P1", "region": "east"},
            "site:C": {**site, "name": "C", "provider_id": "P2", "region": "west"},
        },
        "compliance": {
            "items": [
                {"kind": "follow_ups_missed", "scope": "site:A", "count": 7},
                {"kind": "follow_ups_missed", "scope": "site:B", "count": 5},
                {"kind": "follow_ups_missed", "scope": "site:C", "count": None},
                {"kind": "business_plan_missing", "scope": "site:C", "due_on": None},
            ],
            "business_plans": {
                "site:A": "approved",
                "site:B": "approved",
                "site:C": "not-approved",
            },
        },
    }
    summarise_compliance(document)
    scopes = document["scopes"]
    assert scopes["provider:P1"]["compliance"] == {
        "kinds": {"follow_ups_missed": {"sites": 2, "count": 12}},
        "business_plans_approved": 2,
        "sites": 2,
    }
    assert scopes["province"]["compliance"]["kinds"] == {
        "business_plan_missing": {"sites": 1, "count": 1},
        "follow_ups_missed": {"sites": 3, "count": None},  # C's is withheld: so is the sum
    }
    assert scopes["site:C"]["compliance"]["business_plans_approved"] == 0
