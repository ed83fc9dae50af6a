"""A whole rule-book file for a year, for tests that edit one and load it alone.

The repository's files inherit (2012-13 states only what changed since
2011-12), so a test that writes one file into an empty directory takes the
base file (2010-11) renamed to the year, with 2012-13's two changes applied.
"""

from __future__ import annotations

from contracts.rulebook import DATA_DIRECTORY, RuleBook, load_rulebook


def standalone_rulebook_text(year: str = "2012-13") -> str:
    """The 2010-11 base file as ``year``'s own complete file (version ``<year>.1``)."""
    text = (DATA_DIRECTORY / "2010-11.yaml").read_text(encoding="utf-8")
    text = text.replace('fiscal_year: "2010-11"', f'fiscal_year: "{year}"')
    text = text.replace('version: "2010-11.2"', f'version: "{year}.1"')
    if year >= "2012-13":
        text = text.replace("    rule_version: v1\n", "    rule_version: v2\n", 1)
        text = text.replace(
            "continuous_improvement_required: false", "continuous_improvement_required: true"
        )
    return text


def first_reading_rulebook(year: str = "2012-13") -> RuleBook:
    """``year``'s rule book as the first rule books read it, for tests of that scoring.

    Every measure scored ``actual_over_standard_capped`` (actual / standard, capped at
    ``score_cap``), Service Coordination's standard 50%, Client Suitability weighing
    30% and Client Impact (employed + training / education, rule v1) 20%. The
    rule is still supported; these tests keep asserting its arithmetic.
    """
    book = load_rulebook(year)
    changes = {
        "service_coordination": {"target": 0.50},
        "client_suitability": {"weight": 0.30},
        "client_impact": {"weight": 0.20, "rule_version": "v1"},
    }
    measures = {
        measure_id: measure.model_copy(
            update={"achievement": "actual_over_standard_capped", **changes.get(measure_id, {})}
        )
        for measure_id, measure in book.measures.items()
    }
    return book.model_copy(update={"measures": measures})
