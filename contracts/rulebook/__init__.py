"""Rule books: the ministry's changeable rules as versioned data per fiscal year.

Each fiscal year has a YAML file under ``data/`` with the SQS weights, targets
and cap, the provincial standard, suitability indicators (as conditions over
derived profile attributes), bands and threshold, eligibility parameters, and
the rule version of each measure, the ministry-run programs' parameters
(``programs``) and the follow-up windows after exit (``follow_ups``).
:func:`load_rulebook` reads one strictly; a service looks them up by decision
date on a :class:`RuleBookShelf`.
"""

from contracts.rulebook.conditions import AllOf, AnyOf, Comparison, Condition, Facts, Not
from contracts.rulebook.eligibility import AssistedEsEligibility, EligibilityRules
from contracts.rulebook.fiscal_year import check_fiscal_year, fiscal_year_of
from contracts.rulebook.follow_ups import FollowUpRules, FollowUpWindowRule
from contracts.rulebook.loader import (
    DATA_DIRECTORY,
    RuleBookError,
    RuleBookNotFound,
    available_fiscal_years,
    load_all_rulebooks,
    load_rulebook,
    load_rulebook_file,
)
from contracts.rulebook.measures import Dimension, Measure
from contracts.rulebook.model import RuleBook
from contracts.rulebook.programs import (
    BusinessPlanRules,
    CostCategory,
    EiLinkRules,
    JcpRules,
    LegalStatus,
    PremiumRule,
    ProgramRules,
    SebRules,
    SecondCareerRules,
    WeeksRange,
)
from contracts.rulebook.shelf import NoRuleBookForDate, RuleBookShelf
from contracts.rulebook.suitability import Band, Indicator, SuitabilityRules

__all__ = [
    "DATA_DIRECTORY",
    "AllOf",
    "AnyOf",
    "AssistedEsEligibility",
    "Band",
    "BusinessPlanRules",
    "Comparison",
    "Condition",
    "CostCategory",
    "Dimension",
    "EiLinkRules",
    "EligibilityRules",
    "Facts",
    "FollowUpRules",
    "FollowUpWindowRule",
    "Indicator",
    "JcpRules",
    "LegalStatus",
    "Measure",
    "NoRuleBookForDate",
    "Not",
    "PremiumRule",
    "ProgramRules",
    "RuleBook",
    "RuleBookError",
    "RuleBookNotFound",
    "RuleBookShelf",
    "SebRules",
    "SecondCareerRules",
    "SuitabilityRules",
    "WeeksRange",
    "available_fiscal_years",
    "check_fiscal_year",
    "fiscal_year_of",
    "load_all_rulebooks",
    "load_rulebook",
    "load_rulebook_file",
]
