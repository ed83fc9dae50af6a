"""EI-linked: an active claim, a claim ended within the look-back, or premiums (JCP rules)."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.rulebook import EiLinkRules
from services.programs.domain import EiHistory, ei_link_finding
from tests.unit.programs.domain.builders import rulebook

ON = date(2012, 7, 2)


def jcp_link() -> EiLinkRules:
    programs = rulebook().programs
    assert programs is not None
    return programs.jcp.ei_link


def seb_link() -> EiLinkRules:
    programs = rulebook().programs
    assert programs is not None
    return programs.seb.ei_link


def test_an_active_claim_links_a_client() -> None:
    assert ei_link_finding(EiHistory(active_claim=True), jcp_link(), ON) is None


def test_a_claim_ended_exactly_3_years_before_links_a_client() -> None:
    history = EiHistory(last_claim_ended_on=date(2009, 7, 2))
    assert ei_link_finding(history, jcp_link(), ON) is None


def test_a_claim_ended_3_years_and_a_day_before_does_not_link_a_client() -> None:
    finding = ei_link_finding(EiHistory(last_claim_ended_on=date(2009, 7, 1)), jcp_link(), ON)
    assert finding == (
        "not EI-linked: no active EI claim, no claim ended within 3 years, "
        "premiums paid in 0 of the last 10 years, fewer than 5"
    )


def test_a_parental_claim_has_a_5_year_look_back() -> None:
    at_edge = EiHistory(last_claim_ended_on=date(2007, 7, 2), last_claim_parental=True)
    past_edge = EiHistory(last_claim_ended_on=date(2007, 7, 1), last_claim_parental=True)
    assert ei_link_finding(at_edge, jcp_link(), ON) is None
    assert ei_link_finding(past_edge, jcp_link(), ON) is not None


def test_the_look_back_from_29_february_starts_on_28_february() -> None:
    history = EiHistory(last_claim_ended_on=date(2009, 2, 28))
    assert ei_link_finding(history, jcp_link(), date(2012, 2, 29)) is None


@pytest.mark.parametrize(("years", "linked"), [(5, True), (4, False)])
def test_premiums_in_5_of_the_last_10_years_link_a_client_and_4_do_not(
    years: int, linked: bool
) -> None:
    finding = ei_link_finding(EiHistory(premium_years=years), jcp_link(), ON)
    assert (finding is None) is linked


def test_premiums_do_not_link_a_client_where_the_rule_book_has_no_premium_clause() -> None:
    finding = ei_link_finding(EiHistory(premium_years=10), seb_link(), ON)
    assert finding == "not EI-linked: no active EI claim, no earlier EI claim"
