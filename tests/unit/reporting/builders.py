"""Journeys as recorded events, with synthetic ids, for reporting's tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from contracts.caseload import (
    FollowUpCheckpoint,
    FollowUpRecorded,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
    ReferralRecorded,
    SatisfactionRecorded,
    ServicePlanClosed,
    ServicePlanOpened,
    ServiceStarted,
)
from contracts.intake import (
    AgeBand,
    ClientRegistered,
    EducationLevel,
    EligibilityDetermined,
    EligibilityReason,
    IncomeSource,
    ReferralSource,
    SuitabilityAssessed,
)
from contracts.registry import EventSchema
from contracts.rulebook import fiscal_year_of
from services.reporting.domain import StampedEvent


def client_id(name: str) -> uuid.UUID:
    """A stable synthetic client id from a short name."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"client:{name}")


def plan_id(name: str) -> uuid.UUID:
    """A stable synthetic plan id from a short name."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"plan:{name}")


@dataclass
class Journeys:
    """Builds recorded events stream by stream; ``events`` keeps them in recording order."""

    events: list[StampedEvent] = field(default_factory=list)
    _versions: dict[str, int] = field(default_factory=dict)

    def record(self, stream: str, on: date, payload: EventSchema) -> StampedEvent:
        """Record one event on a stream; occurred_at is its date plus its stream position."""
        version = self._versions.get(stream, 0) + 1
        self._versions[stream] = version
        occurred_at = datetime.combine(on, time(9), UTC) + timedelta(seconds=version)
        event = StampedEvent(
            event_id=uuid.uuid4(),
            occurred_at=occurred_at,
            stream_version=version,
            payload=payload,
        )
        self.events.append(event)
        return event

    def register(
        self,
        name: str,
        site_id: str,
        on: date,
        *,
        suitable: bool | None,
        eligible: bool = True,
        referral_source: ReferralSource = ReferralSource.SELF_REFERRED,
    ) -> uuid.UUID:
        """Register a client (how they came: ``referral_source``); assess if ``suitable``."""
        client = client_id(name)
        stream = f"client:{client}"
        self.record(stream, on, _registered(client, site_id, on, referral_source))
        if suitable is not None:
            self.assess(name, on, suitable=suitable)
        reasons = (
            [EligibilityReason.UNEMPLOYED]
            if eligible
            else [EligibilityReason.WORKING_TOO_MANY_HOURS]
        )
        self.record(
            stream,
            on,
            EligibilityDetermined(
                client_id=client,
                determined_on=on,
                fiscal_year=fiscal_year_of(on),
                rule_book_version=f"{fiscal_year_of(on)}.1",
                eligible_for_assisted_es=eligible,
                reasons=reasons,
            ),
        )
        return client

    def assess(self, name: str, on: date, *, suitable: bool) -> None:
        """Record a suitability assessment: 3 indicators if suitable, else 1."""
        client = client_id(name)
        indicators = ["income-source", "out-of-work-6-months", "newcomer"][: 3 if suitable else 1]
        self.record(
            f"client:{client}",
            on,
            SuitabilityAssessed(
                client_id=client,
                assessed_on=on,
                fiscal_year=fiscal_year_of(on),
                rule_book_version=f"{fiscal_year_of(on)}.1",
                indicators=indicators,
                indicator_count=len(indicators),
                band="3-5" if suitable else "1-2",
                suitable=suitable,
            ),
        )

    def open(
        self,
        plan: str,
        client: str,
        site_id: str,
        on: date,
        *,
        referred_in_from: ReferralCategory | None = None,
    ) -> None:
        """Open a plan (CSPC item implied)."""
        self.record(
            f"plan:{plan_id(plan)}",
            on,
            ServicePlanOpened(
                client_id=client_id(client),
                plan_id=plan_id(plan),
                site_id=site_id,
                goal="Find work",
                opened_on=on,
                referred_in_from=referred_in_from,
            ),
        )

    def start(
        self, plan: str, client: str, site_id: str, on: date, component: PlanComponent
    ) -> None:
        """Start a service of the plan."""
        self.record(
            f"plan:{plan_id(plan)}",
            on,
            ServiceStarted(
                client_id=client_id(client),
                plan_id=plan_id(plan),
                site_id=site_id,
                component=component,
                started_on=on,
            ),
        )

    def refer(
        self,
        plan: str,
        client: str,
        site_id: str,
        on: date,
        direction: ReferralDirection,
        category: ReferralCategory = ReferralCategory.LITERACY_AND_BASIC_SKILLS,
    ) -> None:
        """Record a referral in or out."""
        self.record(
            f"plan:{plan_id(plan)}",
            on,
            ReferralRecorded(
                client_id=client_id(client),
                plan_id=plan_id(plan),
                site_id=site_id,
                direction=direction,
                category=category,
                referred_on=on,
            ),
        )

    def close(
        self,
        plan: str,
        client: str,
        site_id: str,
        on: date,
        outcome: Outcome,
        components: list[PlanComponent],
        *,
        rating: int | None = None,
    ) -> None:
        """Close the plan with an outcome, then record the rating if any."""
        stream = f"plan:{plan_id(plan)}"
        ids = {"client_id": client_id(client), "plan_id": plan_id(plan), "site_id": site_id}
        self.record(
            stream,
            on,
            ServicePlanClosed(
                **ids,
                exit_date=on,
                outcome=outcome,
                components_received=sorted({PlanComponent.CSPC, *components}),
            ),
        )
        if rating is not None:
            self.record(stream, on, SatisfactionRecorded(**ids, rating=rating, recorded_on=on))

    def follow_up(
        self,
        plan: str,
        client: str,
        site_id: str,
        on: date,
        checkpoint: FollowUpCheckpoint,
        outcome: Outcome,
    ) -> None:
        """Record a follow-up after exit."""
        self.record(
            f"plan:{plan_id(plan)}",
            on,
            FollowUpRecorded(
                client_id=client_id(client),
                plan_id=plan_id(plan),
                site_id=site_id,
                checkpoint=checkpoint,
                outcome=outcome,
                recorded_on=on,
            ),
        )


def _registered(
    client: uuid.UUID,
    site_id: str,
    on: date,
    referral_source: ReferralSource = ReferralSource.SELF_REFERRED,
) -> ClientRegistered:
    return ClientRegistered(
        client_id=client,
        site_id=site_id,
        registered_on=on,
        age_band=AgeBand.AGE_25_44,
        education_level=EducationLevel.GRADE_12,
        income_source=IncomeSource.NO_INCOME,
        months_out_of_work=7,
        years_out_of_school=3,
        interrupted_employment=False,
        no_canadian_work_experience=False,
        referral_source=referral_source,
        hours_worked_per_week=0,
        in_full_time_education=False,
    )
