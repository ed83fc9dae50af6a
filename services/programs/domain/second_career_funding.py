"""Second Career funding: what may be requested and approved, in integer cents.

- Requested and approved costs name the rule book's cost categories only, with
  amounts of zero or more.
- Each approved amount is at most what was requested in its category and at
  most the category's ``limit_cents`` where the rule book sets one.
- The approved total is at most ``funding_cap_cents``: exactly the cap is
  fine, one cent more is refused.
- **Client contribution** (the rule this system applies): requested costs the
  ministry does not approve, above the cap or otherwise, are covered by the
  client, so the contribution is the requested total minus the approved total.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from contracts.rulebook import SecondCareerRules
from services.programs.domain.errors import (
    ApprovedMoreThanRequested,
    CategoryLimitExceeded,
    FundingCapExceeded,
    NegativeAmount,
    NoCostsRequested,
    UnknownCostCategory,
)

Costs = Mapping[str, int]
"""Amounts in cents by rule-book cost category."""


@dataclass(frozen=True)
class FundingDecision:
    """The approved amounts, their total and the client's contribution, in cents."""

    approved_costs_cents: Mapping[str, int]
    total_approved_cents: int
    client_contribution_cents: int


def check_costs(costs: Costs, rules: SecondCareerRules) -> dict[str, int]:
    """The costs as a plain dict, once every category is known and no amount negative."""
    unknown = set(costs) - set(rules.cost_categories)
    if unknown:
        raise UnknownCostCategory(unknown, rules.cost_categories)
    for category, cents in costs.items():
        if cents < 0:
            raise NegativeAmount(category, cents)
    return dict(costs)


def check_requested(costs: Costs, rules: SecondCareerRules) -> dict[str, int]:
    """Requested costs: known categories, no negative amount, something requested."""
    requested = check_costs(costs, rules)
    if not any(requested.values()):
        raise NoCostsRequested()
    return requested


def decide_funding(approved: Costs, requested: Costs, rules: SecondCareerRules) -> FundingDecision:
    """Check approved amounts against the request, category limits and the cap."""
    approved = check_costs(approved, rules)
    for category, cents in approved.items():
        if cents > requested.get(category, 0):
            raise ApprovedMoreThanRequested(category, cents, requested.get(category, 0))
        limit = rules.cost_categories[category].limit_cents
        if limit is not None and cents > limit:
            raise CategoryLimitExceeded(category, cents, limit)
    total = sum(approved.values())
    if total > rules.funding_cap_cents:
        raise FundingCapExceeded(total, rules.funding_cap_cents)
    return FundingDecision(
        approved_costs_cents=MappingProxyType(approved),
        total_approved_cents=total,
        client_contribution_cents=sum(requested.values()) - total,
    )
