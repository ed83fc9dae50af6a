"""Choosing the rules a decision uses: the programs section of the right fiscal year."""

from __future__ import annotations

from datetime import date

from contracts.rulebook import ProgramRules, RuleBook, fiscal_year_of
from services.programs.domain.errors import NoProgramRules, WrongRuleBook


def program_rules(rulebook: RuleBook) -> ProgramRules:
    """The rule book's programs section; refuses a rule book without one."""
    if rulebook.programs is None:
        raise NoProgramRules(rulebook.fiscal_year)
    return rulebook.programs


def program_rules_on(what: str, on: date, rulebook: RuleBook) -> ProgramRules:
    """The programs section, checking the rule book is that of ``on``'s fiscal year."""
    expected = fiscal_year_of(on)
    if rulebook.fiscal_year != expected:
        raise WrongRuleBook(f"{what} {on}", expected, rulebook.fiscal_year)
    return program_rules(rulebook)
