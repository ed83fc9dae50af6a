"""What an ES business plan commits to, and the rules its commitments follow.

- every core measure of the fiscal year's rule book has a commitment, and no
  other measure id appears;
- commitments and continuous improvement targets are percentages, 0 to 100;
- planned assisted and R&I client counts are zero or more;
- continuous improvement commitments name known measure ids, and at least one
  is required where the rule book says so (from 2012-13).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from contracts.programs import BusinessPlanCommitments
from contracts.rulebook import RuleBook
from services.programs.domain import participation_errors as refusals
from services.programs.domain.rules import program_rules


@dataclass(frozen=True)
class PlanCommitments:
    """A site's commitments for one fiscal year (percentages 0-100, counts of clients)."""

    core_measures: Mapping[str, float]
    planned_assisted_clients: int
    planned_ri_clients: int
    continuous_improvement: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def to_contract(self) -> BusinessPlanCommitments:
        """The commitments as published."""
        return BusinessPlanCommitments(
            core_measures=dict(self.core_measures),
            planned_assisted_clients=self.planned_assisted_clients,
            planned_ri_clients=self.planned_ri_clients,
            continuous_improvement=dict(self.continuous_improvement),
        )

    @classmethod
    def from_contract(cls, published: BusinessPlanCommitments) -> PlanCommitments:
        """The commitments an event carries."""
        return cls(
            core_measures=MappingProxyType(dict(published.core_measures)),
            planned_assisted_clients=published.planned_assisted_clients,
            planned_ri_clients=published.planned_ri_clients,
            continuous_improvement=MappingProxyType(dict(published.continuous_improvement)),
        )


def check_commitments(commitments: PlanCommitments, rulebook: RuleBook) -> None:
    """Refuse commitments that break a rule of the fiscal year's rule book."""
    known = list(rulebook.measures)
    core, improvements = commitments.core_measures, commitments.continuous_improvement
    if unknown := set(core) - set(known):
        raise refusals.UnknownMeasures("the commitments", unknown, known)
    if missing := set(known) - set(core):
        raise refusals.MissingCommitments(missing)
    if unknown := set(improvements) - set(known):
        raise refusals.UnknownMeasures("the continuous improvement commitments", unknown, known)
    for measure_id, value in (*core.items(), *improvements.items()):
        if not 0 <= value <= 100:
            raise refusals.PercentOutOfRange(measure_id, value)
    for name in ("planned_assisted_clients", "planned_ri_clients"):
        if (count := getattr(commitments, name)) < 0:
            raise refusals.NegativeCount(name, count)
    required = program_rules(rulebook).business_plans.continuous_improvement_required
    if required and not improvements:
        raise refusals.ContinuousImprovementRequired(rulebook.fiscal_year)
