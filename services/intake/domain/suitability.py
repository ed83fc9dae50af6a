"""Suitability: which of the rule book's indicators apply to a client, and what follows."""

from __future__ import annotations

from dataclasses import dataclass

from contracts.rulebook import RuleBook
from services.intake.domain.attributes import ClientAttributes


@dataclass(frozen=True)
class Suitability:
    """The outcome of one suitability assessment under one rule book."""

    fiscal_year: str
    rule_book_version: str
    indicators: tuple[str, ...]
    band: str
    suitable: bool

    @property
    def count(self) -> int:
        """The suitability count: how many indicators apply."""
        return len(self.indicators)


def assess_suitability(attributes: ClientAttributes, rulebook: RuleBook) -> Suitability:
    """Apply the rule book's indicator definitions to a client's derived attributes."""
    rules = rulebook.suitability
    facts = attributes.as_facts()
    indicators = tuple(i.id for i in rules.indicators if i.applies(facts))
    return Suitability(
        fiscal_year=rulebook.fiscal_year,
        rule_book_version=rulebook.version,
        indicators=indicators,
        band=rules.band_for(len(indicators)).label,
        suitable=len(indicators) >= rules.suitable_threshold,
    )
