"""Which measure counts an analyst may not see (DOMAIN.md, "Privacy in analysts' outputs").

The table an analyst reads: every site's count (numerator, denominator) per
measure, and the roll-ups (providers, regions, the province), each the sum of
its sites' counts. A count from 1 to the rule book's ``small_cell_max`` is
withheld, and so is any count from which one could be derived:

- **Scored measures**, one table per measure (:mod:`.suppression`). A rate
  measure whose numerator counts some of its denominator's units (an integer
  count, at most the denominator, at every site) is the table sites x
  (numerator, denominator - numerator): its row totals are the sites'
  denominators, its column totals the province's counts, so a small
  complement (say 2 plans closed *not* employed) is protected as well as a
  small numerator. Any other count (Assisted Services Intake's clients, the
  ``v1`` Service Coordination referral records, which may exceed their
  denominator) is a list with the province total; a denominator that is not a
  whole number (a pro-rated commitment) is not a count of people and is shown.
  One quantity can appear in two measures (the clients who started a plan are
  Client Suitability's denominator and Assisted Services Intake's numerator):
  a value withheld in one is withheld wherever the same site shows the same
  value, and the tables are suppressed again until nothing changes.
- **The province** is the tables' column and grand totals, suppressed with
  the cells (a small rest of the province withholds its numerator and
  denominator).
- **Other roll-ups** (providers, regions) are partial sums the tables do not
  account for: a roll-up's count is withheld whenever one of its sites'
  counts is, so a published roll-up is the sum of published site counts (and
  the province minus the published roll-ups only gives the sum of all
  withheld cells, which the province's totals give already) -- unless those
  cells all lie in one roll-up: then the province minus the published sites
  gives that roll-up's count, and if it or its rest is small the province's
  counts are withheld (:func:`_guard_lone_groups`). A roll-up value withheld
  is withheld wherever the roll-up shows the same value.
- **Derived figures** (actual, score, gap) of a measure with a withheld count
  are withheld with it, and so is a scope's SQS and the sub-score of each
  dimension holding such a measure (each is a sum of scores).
- **Analysis-only figures** (Training / Education, Service Impacts, the
  indicators) never change what the scored measures show. At a scope they are
  all shown or all withheld: withheld when any scored count of the scope is,
  or when one of their counts, its complement (denominator - numerator), or
  the plans left over by two of them with the same denominator (say closed
  neither employed nor in training) is small; a roll-up's are withheld when
  any of its sites' are.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations

from services.reporting.domain.measure_registry import Count
from services.reporting.domain.suppression import suppress_small_cells, suppress_small_list

NUMERATOR = "numerator"
DENOMINATOR = "denominator"
ROUNDS = 8
"""Bound on re-suppressing after a value was withheld elsewhere (two are enough in practice)."""


@dataclass(frozen=True)
class WithheldCounts:
    """Per scope (a site id or a roll-up's scope) and measure id, the counts withheld."""

    parts: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    analysis: Mapping[str, bool] = field(default_factory=dict)
    """Per scope: its analysis-only figures are withheld."""

    def of(self, scope: str, measure_id: str) -> frozenset[str]:
        """``numerator`` and / or ``denominator``, or nothing."""
        return self.parts.get(scope, {}).get(measure_id, frozenset())

    def measures(self, scope: str) -> frozenset[str]:
        """The measures of ``scope`` with a withheld count."""
        return frozenset(m for m, parts in self.parts.get(scope, {}).items() if parts)

    def analysis_withheld(self, scope: str) -> bool:
        """Whether the scope's analysis-only figures are withheld."""
        return self.analysis.get(scope, False)


NOTHING_WITHHELD = WithheldCounts()
"""What site staff and admins get: every count exact."""


def _small(value: Fraction, small_max: int) -> bool:
    return value.denominator == 1 and 1 <= value <= small_max


def _whole(values: Sequence[Fraction]) -> bool:
    return all(value.denominator == 1 for value in values)


def _bounded(counts: Sequence[Count]) -> bool:
    return all(
        c.numerator.denominator == 1 and c.denominator.denominator == 1
        for c in counts
    ) and all(0 <= c.numerator <= c.denominator for c in counts)  # fmt: skip


def _one_measure(
    counts: Sequence[Count], small_max: int, forced: set[tuple[int, str]]
) -> tuple[list[set[str]], set[str]]:
    """Each site's withheld parts of one measure (sites in ``counts``' order), and the
    withheld parts of the total over all of them (the table's column and grand totals)."""
    withheld: list[set[str]] = [set() for _ in counts]
    total: set[str] = set()
    forced_num = {i for i, part in forced if part == NUMERATOR}
    forced_den = {i for i, part in forced if part == DENOMINATOR}
    if _bounded(counts):
        cells = [[int(c.numerator), int(c.denominator - c.numerator)] for c in counts]
        table = suppress_small_cells(
            cells,
            small_max,
            hidden_cells={(i, 0) for i in forced_num},
            hidden_row_totals=forced_den,
        )
        for i in range(len(counts)):
            if table.cells[i][0] is None:
                withheld[i].add(NUMERATOR)
            if table.row_totals[i] is None:
                withheld[i].add(DENOMINATOR)
        if table.column_totals and table.column_totals[0] is None:
            total.add(NUMERATOR)
        if table.grand_total is None:
            total.add(DENOMINATOR)
        if table.column_totals and table.column_totals[1] is None:  # the rest would follow
            total |= {NUMERATOR, DENOMINATOR}
        return withheld, total
    for part in (NUMERATOR, DENOMINATOR):
        values = [getattr(c, part) for c in counts]
        if not _whole(values):
            continue  # not a count of people (a pro-rated commitment)
        hidden = forced_num if part == NUMERATOR else forced_den
        shown, shown_total = suppress_small_list([int(v) for v in values], small_max, hidden=hidden)
        for i, value in enumerate(shown):
            if value is None:
                withheld[i].add(part)
        if shown_total is None:
            total.add(part)
    return withheld, total


def withheld_counts(
    sites: Mapping[str, Mapping[str, Count]],
    groups: Mapping[str, Collection[str]],
    small_max: int,
) -> WithheldCounts:
    """The scored measures' counts withheld from analysts, per site and per roll-up.

    ``sites``: site id -> measure id -> count; ``groups``: roll-up scope (e.g.
    ``provider:P01``, ``province``) -> its site ids.
    """
    site_ids = list(sites)
    measure_ids = sorted({m for counts in sites.values() for m in counts})
    zero = Count(Fraction(0), Fraction(0))
    columns = {m: [sites[s].get(m, zero) for s in site_ids] for m in measure_ids}
    people = {
        (m, part)
        for m, counts in columns.items()
        for part in (NUMERATOR, DENOMINATOR)
        if _bounded(counts) or _whole([getattr(c, part) for c in counts])
    }
    forced: dict[str, set[tuple[int, str]]] = {m: set() for m in measure_ids}
    per_site: dict[str, dict[str, frozenset[str]]] = {}
    whole: dict[str, set[str]] = {}
    for _ in range(ROUNDS):
        per_site = {s: {} for s in site_ids}
        for m in measure_ids:
            rows, whole[m] = _one_measure(columns[m], small_max, forced[m])
            for i, parts in enumerate(rows):
                per_site[site_ids[i]][m] = frozenset(parts)
        if not _withhold_equal_values(sites, site_ids, per_site, forced, people):
            break
    parts: dict[str, dict[str, frozenset[str]]] = dict(per_site)
    group_totals: dict[str, dict[str, Count]] = {}
    everyone = set(site_ids)
    for scope, members in groups.items():
        present = [s for s in members if s in sites]
        totals = {m: sum((sites[s].get(m, zero) for s in present), zero) for m in measure_ids}
        group = {
            m: _group_parts(
                totals[m],
                # the table's own totals (province) were suppressed with its cells;
                # any other roll-up withholds what one of its sites withholds
                whole[m] if set(present) >= everyone else _union(per_site, present, m),
                small_max,
            )
            for m in measure_ids
        }
        parts[scope] = _with_equal_values(totals, group, people)
        group_totals[scope] = totals
    _guard_lone_groups(parts, group_totals, groups, everyone, small_max)
    return WithheldCounts(parts)


def _guard_lone_groups(
    parts: dict[str, dict[str, frozenset[str]]],
    totals: Mapping[str, Mapping[str, Count]],
    groups: Mapping[str, Collection[str]],
    everyone: set[str],
    small_max: int,
) -> None:
    """Withhold the province's counts where one roll-up would follow from them.

    The roll-ups of one level (``provider:``, ``region:``) partition the sites:
    when the sites withholding a count all lie in one of them, the province's
    count minus the published sites' gives that roll-up's. If that, or the rest
    of its denominator it then gives, is small, the province's numerator and
    denominator are withheld too."""
    whole = [scope for scope, members in groups.items() if set(members) >= everyone]
    levels: dict[str, list[str]] = {}
    for scope in groups:
        if scope not in whole and ":" in scope:
            levels.setdefault(scope.split(":", 1)[0], []).append(scope)
    for province in whole:
        for measure_id in parts[province]:
            for scopes in levels.values():
                derived: dict[str, set[str]] = {g: set() for g in scopes}
                for part in (NUMERATOR, DENOMINATOR):
                    lone = [
                        g
                        for g in scopes
                        if any(part in parts[s].get(measure_id, ()) for s in groups[g])
                    ]
                    if len(lone) == 1 and part not in parts[province][measure_id]:
                        derived[lone[0]].add(part)  # province - the published sites
                for group, parts_derived in derived.items():
                    if not parts_derived:
                        continue
                    total = totals[group][measure_id]
                    summed = {  # the sum of its sites' published counts
                        part
                        for part in (NUMERATOR, DENOMINATOR)
                        if not any(part in parts[s].get(measure_id, ()) for s in groups[group])
                    }
                    known = summed | parts_derived
                    values = [getattr(total, known_part) for known_part in known]
                    if known == {NUMERATOR, DENOMINATOR} and _bounded([total]):
                        values.append(total.denominator - total.numerator)
                    if any(_small(value, small_max) for value in values):
                        parts[province][measure_id] = frozenset({NUMERATOR, DENOMINATOR})


def _union(
    per_site: Mapping[str, Mapping[str, frozenset[str]]], members: list[str], measure_id: str
) -> set[str]:
    withheld: set[str] = set()
    for site in members:
        withheld |= per_site[site].get(measure_id, frozenset())
    return withheld


def _with_equal_values(
    totals: Mapping[str, Count],
    parts: Mapping[str, frozenset[str]],
    people: set[tuple[str, str]],
) -> dict[str, frozenset[str]]:
    """A roll-up's withheld parts, with every count equal to a withheld one withheld too."""
    hidden = {getattr(totals[m], part) for m, withheld in parts.items() for part in withheld}
    return {
        m: withheld
        | {
            part
            for part in (NUMERATOR, DENOMINATOR)
            if (m, part) in people and getattr(totals[m], part) in hidden - {0}
        }
        for m, withheld in parts.items()
    }


def _withhold_equal_values(
    sites: Mapping[str, Mapping[str, Count]],
    site_ids: list[str],
    per_site: Mapping[str, Mapping[str, frozenset[str]]],
    forced: dict[str, set[tuple[int, str]]],
    people: set[tuple[str, str]],
) -> bool:
    """Force every shown count equal to a withheld one of its site; True if any was added."""
    added = False
    for i, site in enumerate(site_ids):
        counts = sites[site]
        hidden_values = {
            getattr(counts[m], part) for m, parts in per_site[site].items() for part in parts
        }
        for m, count in counts.items():
            for part in (NUMERATOR, DENOMINATOR):
                value = getattr(count, part)
                if (m, part) not in people or part in per_site[site][m]:
                    continue
                if value > 0 and value in hidden_values:
                    forced[m].add((i, part))
                    added = True
    return added


def _group_parts(total: Count, withheld: set[str], small_max: int) -> frozenset[str]:
    """A roll-up's withheld parts: ``withheld``, and its own small counts (guards)."""
    withheld = set(withheld)
    if _small(total.numerator, small_max) or (
        _bounded([total]) and _small(total.denominator - total.numerator, small_max)
    ):
        withheld.add(NUMERATOR)
    if _small(total.denominator, small_max):
        withheld.add(DENOMINATOR)
    return frozenset(withheld)


def with_analysis_figures(
    withheld: WithheldCounts,
    figures: Mapping[str, Mapping[str, Count]],
    scored: Mapping[str, Mapping[str, Count]],
    groups: Mapping[str, Collection[str]],
    small_max: int,
) -> WithheldCounts:
    """``withheld`` with, per scope, whether its analysis-only figures are withheld.

    ``figures``: site id -> figure id -> count (Training / Education, Service
    Impacts, the indicators); ``scored``: the sites' scored counts.
    """
    analysis = {
        site: bool(withheld.measures(site))
        or _any_small(list(counts.values()) + list(scored.get(site, {}).values()), small_max)
        for site, counts in figures.items()
    }
    zero = Count(Fraction(0), Fraction(0))
    for scope, members in groups.items():
        present = [s for s in members if s in figures]
        ids = {f for s in present for f in figures[s]}
        totals = [sum((figures[s].get(f, zero) for s in present), zero) for f in sorted(ids)]
        analysis[scope] = (
            any(analysis[s] for s in present)
            or bool(withheld.measures(scope))
            or _any_small(totals, small_max)
        )
    return WithheldCounts(withheld.parts, analysis)


def _any_small(counts: Sequence[Count], small_max: int) -> bool:
    """A small count, complement, or leftover of two counts with one denominator."""
    for count in counts:
        if _small(count.numerator, small_max) or _small(count.denominator, small_max):
            return True
        if _bounded([count]) and _small(count.denominator - count.numerator, small_max):
            return True
    for a, b in combinations(counts, 2):
        if a.denominator == b.denominator and _bounded([a, b]):
            left = a.denominator - a.numerator - b.numerator
            if left >= 0 and _small(left, small_max):
                return True
    return False
