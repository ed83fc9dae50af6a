"""A whole rule-book file for a year, for tests that edit one and load it alone.

The repository's files inherit (2012-13 states only what changed since
2011-12), so a test that writes one file into an empty directory takes the
base file (2010-11) renamed to the year, with 2012-13's two changes applied.
"""

from __future__ import annotations

from contracts.rulebook import DATA_DIRECTORY


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
