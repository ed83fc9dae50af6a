"""The dashboard's suppression slot: the document a ministry analyst may see.

:func:`document_filter` builds the ``DocumentFilter`` that
``install_dashboard(suppression=...)`` takes (the bootstrap plugs it in). For a
caller who sees exact counts (:func:`~services.reporting.app.suppression.sees_exact_counts`)
the document is unchanged. For anyone else (ministry analysts):

- **the scopes' measures** get the same withholding as ``/measures`` and the
  roll-ups: the sites' counts of every measure form the table the domain
  suppresses (:func:`~services.reporting.domain.measure_suppression.withheld_counts`),
  each provider, region and the root withholding a count when one of its
  sites does; a withheld count is null, with its actual, score and gaps, the
  scope's SQS and the sub-score of the measure's dimension, and the measure
  and the scope carry ``suppressed: true``;
- **the monthly trend** is withheld (its values null, ``trend.suppressed``):
  the document carries no monthly counts to suppress from, and a month's
  actual over its published denominator would give a small count away;
- **any other counts** a scope or the document carries (the compliance slot,
  indicator counts a later document may add) are suppressed generically: a
  list of rows is a table of its integer fields, suppressed with complements;
  a lone object with a small integer count gets all its counts nulled; each
  such row or object is marked ``suppressed: true``.

Suppression runs before the page, the ETag and the downloads see the document.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from chassis.http.principal import Principal
from contracts.rulebook import RuleBook
from services.reporting.app.suppression import sees_exact_counts
from services.reporting.domain import Count
from services.reporting.domain.measure_suppression import (
    DENOMINATOR,
    NUMERATOR,
    WithheldCounts,
    withheld_counts,
)
from services.reporting.domain.suppression import suppress_small_cells

Document = dict[str, Any]
SCOPE_KEYS = frozenset(
    {
        "key",
        "level",
        "name",
        "sqs",
        "meets_provincial_standard",
        "dimension_scores",
        "measures",
        "children",
        "flags",
        "provider_id",
        "region",
        "suppressed",
    }
)
"""A scope node's fields the filter knows; any other field is suppressed generically."""
NOT_COUNTS = frozenset(
    {"checkpoint_months", "months", "days_without_activity", "weight", "rate_percent"}
)
"""Integer fields that are not counts of people (left as they are)."""
DERIVED = ("actual_percent", "score", "gap_percent", "improvement_gap_percent")


def small_cells_of(rulebooks: Mapping[str, RuleBook]) -> Callable[[str], int | None]:
    """Each fiscal year's ``small_cell_max``; for a year without a rule book, the largest."""
    known = [book.small_cell_max for book in rulebooks.values() if book.small_cell_max]
    fallback = max(known, default=None)

    def small(fiscal_year: str) -> int | None:
        book = rulebooks.get(fiscal_year)
        return fallback if book is None else book.small_cell_max

    return small


def document_filter(
    small_cell_max: Callable[[str], int | None],
) -> Callable[[Principal, Document], Document]:
    """The dashboard's ``DocumentFilter``; ``small_cell_max(fiscal_year)`` from the rule book."""

    def suppress(principal: Principal, document: Document) -> Document:
        small = small_cell_max(document["fiscal_year"])
        if small is None or sees_exact_counts(principal):
            return document
        return suppressed_document(document, small)

    return suppress


def suppressed_document(document: Document, small_max: int) -> Document:
    """A copy of ``document`` as a ministry analyst may see it (see the module docstring)."""
    shown = copy.deepcopy(document)
    scopes: dict[str, dict[str, Any]] = shown["scopes"]
    withheld = _withheld(scopes, shown["root"], small_max)
    dimension_of = {m["measure_id"]: m["dimension"] for m in shown.get("measures", [])}
    for key, node in scopes.items():
        _suppress_scope(node, withheld, key, dimension_of)
        for field, value in list(node.items()):
            if field not in SCOPE_KEYS:
                node[field] = _generic(value, small_max)
    if shown.get("trend"):
        shown["trend"] = _withheld_trend(shown["trend"])
    if shown.get("compliance") is not None:
        shown["compliance"] = _generic(shown["compliance"], small_max)
    return shown


def _fraction(value: float | int | None) -> Fraction:
    return Fraction(0) if value is None else Fraction(value).limit_denominator(10**6)


def _withheld(scopes: dict[str, dict[str, Any]], root: str, small_max: int) -> WithheldCounts:
    sites = {key: node for key, node in scopes.items() if node.get("level") == "site"}
    counts = {
        key: {
            m["measure_id"]: Count(_fraction(m["numerator"]), _fraction(m["denominator"]))
            for m in node["measures"]
        }
        for key, node in sites.items()
    }
    groups: dict[str, list[str]] = defaultdict(list)
    for key, node in sites.items():
        groups[f"provider:{node.get('provider_id')}"].append(key)
        groups[f"region:{node.get('region')}"].append(key)
        groups[root].append(key)
    return withheld_counts(counts, groups, small_max)


def _suppress_scope(
    node: dict[str, Any], withheld: WithheldCounts, key: str, dimension_of: dict[str, str]
) -> None:
    hidden = withheld.measures(key)
    for measure in node.get("measures", []):
        parts = withheld.of(key, measure["measure_id"])
        measure["suppressed"] = bool(parts)
        if not parts:
            continue
        measure.update(dict.fromkeys(DERIVED))
        if NUMERATOR in parts:
            measure["numerator"] = None
        if DENOMINATOR in parts:
            measure["denominator"] = None
    node["suppressed"] = bool(hidden)
    if hidden:
        node["sqs"] = None
        dimensions = {dimension_of.get(m) for m in hidden}
        node["dimension_scores"] = {
            name: None if name in dimensions else score
            for name, score in node.get("dimension_scores", {}).items()
        }


def _withheld_trend(trend: dict[str, Any]) -> dict[str, Any]:
    return {
        **trend,
        "sqs": {key: [None] * len(values) for key, values in trend.get("sqs", {}).items()},
        "actual": {
            key: {m: [None] * len(values) for m, values in measures.items()}
            for key, measures in trend.get("actual", {}).items()
        },
        "suppressed": True,
    }


def _is_count(field: str, value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and field not in NOT_COUNTS


def _generic(value: Any, small_max: int) -> Any:
    """Counts in an unknown part of the document, suppressed (see the module docstring)."""
    if isinstance(value, list):  # rows: their own counts form one table
        rows = [_nested(item, small_max) if isinstance(item, dict) else _generic(item, small_max)
                for item in value]  # fmt: skip
        dicts = [row for row in rows if isinstance(row, dict)]
        fields = sorted({f for row in dicts for f, v in row.items() if _is_count(f, v)})
        if not dicts or not fields:
            return rows
        cells = [[row.get(f) if _is_count(f, row.get(f)) else 0 for f in fields] for row in dicts]
        table = suppress_small_cells(cells, small_max)
        for row, shown in zip(dicts, table.cells, strict=True):
            for f, cell in zip(fields, shown, strict=True):
                if cell is None and f in row:
                    row[f] = None
                    row["suppressed"] = True
        return rows
    if isinstance(value, dict):
        shown = _nested(value, small_max)
        counts = [f for f, v in shown.items() if _is_count(f, v)]
        if any(1 <= shown[f] <= small_max for f in counts):
            shown.update(dict.fromkeys(counts))
            shown["suppressed"] = True
        return shown
    return value


def _nested(row: dict[str, Any], small_max: int) -> dict[str, Any]:
    """``row`` with its fields that are not counts suppressed in turn."""
    return {f: v if _is_count(f, v) else _generic(v, small_max) for f, v in row.items()}
