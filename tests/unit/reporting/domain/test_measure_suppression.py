"""What an analyst may see of the measures: no count 1-4 shown, and none derivable.

The derivability check is independent of the code's argument (bridges in a
graph of rows and columns): it writes every count the analyst sees as a linear
equation over the sites' cells (each measure's numerator and the rest of its
denominator) and asks, by exact Gaussian elimination, whether a small count
(a numerator, denominator or rest from 1 to 4, of a site or a roll-up) is a
linear combination of the published ones.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from services.reporting.domain import Count
from services.reporting.domain.measure_suppression import (
    DENOMINATOR,
    NUMERATOR,
    WithheldCounts,
    with_analysis_figures,
    withheld_counts,
)

SMALL = 4
VALUES = st.sampled_from([0, 1, 2, 3, 5, 6, 8, 12, 20])


def count(numerator: int, denominator: int | Fraction) -> Count:
    return Count(Fraction(numerator), Fraction(denominator))


def basis(rows: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """Row-reduced basis of the rows' span: (pivot column, row with 1 there)."""
    reduced: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        rest = reduce(row, reduced)
        pivot = next((j for j, value in enumerate(rest) if value), None)
        if pivot is not None:
            reduced.append((pivot, [value / rest[pivot] for value in rest]))
    return reduced


def reduce(row: list[Fraction], reduced: list[tuple[int, list[Fraction]]]) -> list[Fraction]:
    rest = row[:]
    for pivot, base in reduced:
        if rest[pivot]:
            factor = rest[pivot]
            rest = [a - factor * b for a, b in zip(rest, base, strict=True)]
    return rest


def derivable_small_counts(
    sites: dict[str, dict[str, Count]], groups: dict[str, list[str]], withheld: WithheldCounts
) -> list[tuple[str, str, str]]:
    """The small counts (1-4: numerators, denominators, and the rest of a denominator)
    that follow linearly from the counts published."""
    cells: dict[tuple[str, str, int], int] = {}  # (site, measure, 0 numerator / 1 rest)
    for site, counts in sites.items():
        for measure in counts:
            cells[(site, measure, 0)] = len(cells)
            cells[(site, measure, 1)] = len(cells)

    def functional(scope: str, measure: str, part: str) -> list[Fraction]:
        row = [Fraction(0)] * len(cells)
        for site in groups.get(scope, [scope]):
            if part in (NUMERATOR, DENOMINATOR):
                row[cells[(site, measure, 0)]] = Fraction(1)
            if part in ("rest", DENOMINATOR):
                row[cells[(site, measure, 1)]] = Fraction(1)
        return row

    def value(scope: str, measure: str, part: str) -> Fraction:
        total = sum((sites[s][measure] for s in groups.get(scope, [scope])), count(0, 0))
        if part == "rest":
            return total.denominator - total.numerator
        return total.numerator if part == NUMERATOR else total.denominator

    items = [
        (scope, measure, part)
        for scope in [*sites, *groups]
        for measure in sorted({m for counts in sites.values() for m in counts})
        for part in (NUMERATOR, DENOMINATOR, "rest")
    ]
    published = basis(
        [
            functional(*item)
            for item in items
            if item[2] != "rest" and item[2] not in withheld.of(item[0], item[1])
        ]
    )
    return [
        item
        for item in items
        if 1 <= value(*item) <= SMALL and not any(reduce(functional(*item), published))
    ]


TWO_PROVIDERS = {
    "provider:P1": ["A", "B"],
    "provider:P2": ["C", "D"],
    "region:east": ["A", "C"],
    "region:west": ["B", "D"],
    "province": ["A", "B", "C", "D"],
}


def test_a_small_numerator_is_withheld_with_a_complement_and_its_roll_ups() -> None:
    sites = {
        "A": {"client_impact": count(3, 20)},
        "B": {"client_impact": count(12, 20)},
        "C": {"client_impact": count(8, 20)},
        "D": {"client_impact": count(9, 20)},
    }
    withheld = withheld_counts(sites, TWO_PROVIDERS, SMALL)
    assert NUMERATOR in withheld.of("A", "client_impact")
    shown = [s for s in "BCD" if NUMERATOR not in withheld.of(s, "client_impact")]
    assert len(shown) < 3  # a second site's numerator is withheld beside A's
    # every roll-up over A but the province (the tables' own total) withholds its numerator
    assert {
        scope for scope in TWO_PROVIDERS if NUMERATOR in withheld.of(scope, "client_impact")
    } >= {"provider:P1", "region:east"}
    assert not withheld.of("province", "client_impact")
    assert derivable_small_counts(sites, TWO_PROVIDERS, withheld) == []


def test_a_small_complement_is_protected_too() -> None:
    # 18 of 20 employed: the 2 not employed would follow from the numerator and denominator
    sites = {s: {"client_impact": count(18 if s == "A" else 10, 20)} for s in "ABCD"}
    withheld = withheld_counts(sites, TWO_PROVIDERS, SMALL)
    assert withheld.of("A", "client_impact")
    assert derivable_small_counts(sites, TWO_PROVIDERS, withheld) == []


def test_the_same_clients_in_two_measures_are_withheld_in_both() -> None:
    # the clients who started a plan: suitability's denominator and intake's numerator;
    # intake's denominator is a pro-rated commitment, not people, and is shown
    sites = {
        "A": {"client_suitability": count(2, 3), "service_efficiency": count(3, Fraction(25, 2))},
        "B": {"client_suitability": count(6, 9), "service_efficiency": count(9, 10)},
        "C": {"client_suitability": count(5, 7), "service_efficiency": count(7, 10)},
    }
    groups = {"province": ["A", "B", "C"]}
    withheld = withheld_counts(sites, groups, SMALL)
    assert DENOMINATOR in withheld.of("A", "client_suitability")
    assert NUMERATOR in withheld.of("A", "service_efficiency")
    assert DENOMINATOR not in withheld.of("A", "service_efficiency")
    for site in "BC":  # a complement of each, each one withheld wherever it appears
        if NUMERATOR in withheld.of(site, "service_efficiency"):
            assert DENOMINATOR in withheld.of(site, "client_suitability")


def test_counts_of_zero_and_of_five_or_more_are_all_shown() -> None:
    sites = {s: {"customer_satisfaction": count(5 + i, 10 + i)} for i, s in enumerate("ABC")}
    sites["D"] = {"customer_satisfaction": count(0, 0)}
    withheld = withheld_counts(sites, TWO_PROVIDERS, SMALL)
    assert not any(withheld.measures(scope) for scope in [*sites, *TWO_PROVIDERS])


def test_analysis_figures_are_withheld_where_a_leftover_group_is_small() -> None:
    scored = {s: {"client_impact": count(10, 20)} for s in "ABCD"}
    figures = {s: {"training_education": count(5, 20)} for s in "ABCD"}
    figures["B"] = {"training_education": count(8, 20)}  # 20 - 10 - 8 = 2 closed otherwise
    withheld = with_analysis_figures(
        withheld_counts(scored, TWO_PROVIDERS, SMALL), figures, scored, TWO_PROVIDERS, SMALL
    )
    assert withheld.analysis_withheld("B") and not withheld.analysis_withheld("A")
    assert withheld.analysis_withheld("provider:P1") and withheld.analysis_withheld("province")
    assert not withheld.analysis_withheld("provider:P2")


SITE_IDS = ["A", "B", "C", "D"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(VALUES, VALUES, VALUES, VALUES),  # rate a / rest a, rate b / rest b
        min_size=4,
        max_size=4,
    )
)
def test_no_withheld_count_follows_from_what_an_analyst_sees(
    rows: list[tuple[int, int, int, int]],
) -> None:
    sites = {
        site: {"a": count(a, a + rest_a), "b": count(b, b + rest_b)}
        for site, (a, rest_a, b, rest_b) in zip(SITE_IDS, rows, strict=True)
    }
    withheld = withheld_counts(sites, TWO_PROVIDERS, SMALL)
    for scope in [*SITE_IDS, *TWO_PROVIDERS]:
        members = TWO_PROVIDERS.get(scope, [scope])
        for measure in ("a", "b"):
            total = sum((sites[s][measure] for s in members), count(0, 0))
            parts = withheld.of(scope, measure)
            shown_values = []
            if NUMERATOR not in parts:
                shown_values.append(total.numerator)
            if DENOMINATOR not in parts:
                shown_values.append(total.denominator)
            if not parts:
                shown_values.append(total.denominator - total.numerator)
            assert not [v for v in shown_values if 1 <= v <= SMALL], (scope, measure)
    assert derivable_small_counts(sites, TWO_PROVIDERS, withheld) == []
