"""Factories of synthetic events for tests: no real personal data, ever."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from chassis.eventstore import PendingEvent
from contracts.envelope import EventMetadata
from contracts.intake import (
    AgeBand,
    ClientRegistered,
    DesignatedGroup,
    EducationLevel,
    IncomeSource,
    ReferralSource,
)


def client_registered(
    client_id: uuid.UUID | None = None, site_id: str = "S001"
) -> ClientRegistered:
    """A synthetic registration with a fixed, plausible profile."""
    return ClientRegistered(
        client_id=client_id or uuid.uuid4(),
        site_id=site_id,
        registered_on=date(2012, 5, 1),
        age_band=AgeBand.AGE_25_44,
        education_level=EducationLevel.GRADE_12,
        income_source=IncomeSource.ONTARIO_WORKS,
        months_out_of_work=7,
        years_out_of_school=3,
        interrupted_employment=False,
        no_canadian_work_experience=True,
        designated_groups=[DesignatedGroup.NEWCOMER],
        referral_source=ReferralSource.SELF_REFERRED,
        hours_worked_per_week=0,
        in_full_time_education=False,
    )


def metadata(site_id: str = "S001", actor: str = "caseworker-1") -> EventMetadata:
    """Causal metadata for a synthetic command."""
    return EventMetadata(correlation_id=uuid.uuid4(), actor=actor, site_id=site_id)


def pending(client_id: uuid.UUID | None = None, site_id: str = "S001") -> PendingEvent:
    """One pending synthetic event."""
    return PendingEvent(
        payload=client_registered(client_id, site_id),
        metadata=metadata(site_id),
        occurred_at=datetime(2012, 5, 1, 9, 30, tzinfo=UTC),
    )
