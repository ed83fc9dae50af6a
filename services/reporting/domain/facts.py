"""Facts per client and per plan: what the measures need, no direct identifiers.

Every field is set independently by the events that carry it, so facts do not
depend on which topic's events arrived first. A field that an event replaces
keeps the :class:`Stamp` of the event that set it (last writer wins by stamp),
and additive facts (referrals, services) are keyed by what identifies them, so
re-applying an event changes nothing.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.caseload import (
    FollowUpCheckpoint,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
    is_assisted_participant,
)
from contracts.intake import ReferralSource
from services.reporting.domain.commitments import BusinessPlanCommitment
from services.reporting.domain.stamped_event import Stamp


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True)


class ClientFact(_Fact):
    """One client: where and when registered, suitability and eligibility."""

    client_id: UUID
    site_id: str | None = None
    registered_on: date | None = None
    suitable: bool | None = None
    suitability_count: int | None = None
    suitability_band: str | None = None
    eligible: bool | None = None
    referral_source: ReferralSource | None = Field(
        default=None, description="How the client came: referred in, or self-referred."
    )
    stamps: dict[str, Stamp] = Field(default_factory=dict, description="Stamp per fact group.")

    @property
    def referred_in_at_registration(self) -> bool:
        """Referred in from another EO program or a community / government service."""
        # ``!=``, not ``is not``: the read side may construct facts with plain strings.
        return self.referral_source is not None and (
            self.referral_source != ReferralSource.SELF_REFERRED
        )


class Referral(_Fact):
    """A referral in to a plan or out from it."""

    direction: ReferralDirection
    category: ReferralCategory
    referred_on: date


class PlanFact(_Fact):
    """One service plan: dates, outcome, services, referrals, rating, follow-ups."""

    plan_id: UUID
    client_id: UUID
    site_id: str
    opened_on: date | None = None
    closed_on: date | None = None
    outcome: Outcome | None = None
    components_started: frozenset[PlanComponent] = frozenset()
    referrals_by_source: dict[str, Referral] = Field(
        default_factory=dict,
        description="Referrals by the id of the event recording them ('<event id>').",
    )
    satisfaction_rating: int | None = None
    follow_ups: dict[FollowUpCheckpoint, Outcome] = Field(default_factory=dict)
    stamps: dict[str, Stamp] = Field(default_factory=dict, description="Stamp per fact group.")

    @property
    def assisted_participant(self) -> bool:
        """Received Job Search, JMPI or Job/Training Retention."""
        return is_assisted_participant(self.components_started)

    @property
    def referrals(self) -> list[Referral]:
        """The plan's referrals, in date order."""
        return sorted(
            self.referrals_by_source.values(),
            key=lambda r: (r.referred_on, r.direction, r.category),
        )


class ReportingFacts(_Fact):
    """All facts the measures are computed from."""

    clients: dict[UUID, ClientFact] = Field(default_factory=dict)
    plans: dict[UUID, PlanFact] = Field(default_factory=dict)
    commitments: dict[tuple[str, str], BusinessPlanCommitment] = Field(
        default_factory=dict, description="Business-plan commitments by (site, fiscal year)."
    )

    def plans_at(self, site_id: str) -> list[PlanFact]:
        """The plans held by one site."""
        return [plan for plan in self.plans.values() if plan.site_id == site_id]

    def commitment(self, site_id: str, fiscal_year: str) -> BusinessPlanCommitment | None:
        """A site's business-plan commitment for a fiscal year, if known."""
        return self.commitments.get((site_id, fiscal_year))

    def with_commitment(self, commitment: BusinessPlanCommitment) -> ReportingFacts:
        """These facts with a site's commitment for a fiscal year set (replacing any earlier)."""
        key = (commitment.site_id, commitment.fiscal_year)
        return self.model_copy(update={"commitments": {**self.commitments, key: commitment}})
