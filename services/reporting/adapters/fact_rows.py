"""Facts to table rows and back: the one place that knows the columns' encoding.

Enums are stored by value, component sets as sorted JSON lists and stamps as
JSON objects ``{group: {occurred_at, stream_version, event_id}}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter

from contracts.caseload import (
    FollowUpCheckpoint,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
)
from contracts.intake import ReferralSource
from services.reporting.domain import (
    BusinessPlanCommitment,
    ClientFact,
    PlanFact,
    Referral,
    Stamp,
)

_STAMPS = TypeAdapter(dict[str, Stamp])
_DECIMALS = TypeAdapter(dict[str, Decimal])


def stamps_json(stamps: Mapping[str, Stamp]) -> dict[str, Any]:
    """Stamps as a JSON-ready object."""
    return _STAMPS.dump_python(dict(stamps), mode="json")


def client_row(fact: ClientFact) -> dict[str, Any]:
    """The ``reporting_client_facts`` row of a client fact."""
    row = fact.model_dump(exclude={"stamps"})
    return {**row, "stamps": stamps_json(fact.stamps)}


def client_fact(row: Mapping[Any, Any]) -> ClientFact:
    """A client fact from its row."""
    return ClientFact.model_validate({**row, "stamps": _STAMPS.validate_python(row["stamps"])})


def plan_row(fact: PlanFact) -> dict[str, Any]:
    """The ``reporting_plan_facts`` row of a plan fact (referrals, follow-ups apart)."""
    return {
        "plan_id": fact.plan_id,
        "client_id": fact.client_id,
        "site_id": fact.site_id,
        "opened_on": fact.opened_on,
        "closed_on": fact.closed_on,
        "outcome": None if fact.outcome is None else fact.outcome.value,
        "components_started": sorted(c.value for c in fact.components_started),
        "satisfaction_rating": fact.satisfaction_rating,
        "stamps": stamps_json(fact.stamps),
    }


def referral_rows(fact: PlanFact) -> list[dict[str, Any]]:
    """The ``reporting_referrals`` rows of a plan, keyed by recording event id."""
    return [
        {
            "event_id": source,
            "plan_id": fact.plan_id,
            "direction": referral.direction.value,
            "category": referral.category.value,
            "referred_on": referral.referred_on,
        }
        for source, referral in fact.referrals_by_source.items()
    ]


def follow_up_rows(fact: PlanFact) -> list[dict[str, Any]]:
    """The ``reporting_follow_ups`` rows of a plan, keyed by checkpoint."""
    return [
        {"plan_id": fact.plan_id, "checkpoint": int(checkpoint), "outcome": outcome.value}
        for checkpoint, outcome in fact.follow_ups.items()
    ]


def plan_fact(
    row: Mapping[Any, Any],
    referral_rows_of_plan: Iterable[Mapping[Any, Any]],
    follow_up_rows_of_plan: Iterable[Mapping[Any, Any]],
) -> PlanFact:
    """A plan fact from its row, its referral rows and its follow-up rows."""
    return PlanFact(
        plan_id=row["plan_id"],
        client_id=row["client_id"],
        site_id=row["site_id"],
        opened_on=row["opened_on"],
        closed_on=row["closed_on"],
        outcome=None if row["outcome"] is None else Outcome(row["outcome"]),
        components_started=frozenset(PlanComponent(c) for c in row["components_started"]),
        satisfaction_rating=row["satisfaction_rating"],
        referrals_by_source={
            r["event_id"]: Referral(
                direction=r["direction"], category=r["category"], referred_on=r["referred_on"]
            )
            for r in referral_rows_of_plan
        },
        follow_ups={
            FollowUpCheckpoint(f["checkpoint"]): Outcome(f["outcome"])
            for f in follow_up_rows_of_plan
        },
        stamps=_STAMPS.validate_python(row["stamps"]),
    )


def commitment_row(commitment: BusinessPlanCommitment, stamp: Stamp) -> dict[str, Any]:
    """The ``reporting_commitments`` row of a commitment and the stamp of its approval."""
    return {
        "site_id": commitment.site_id,
        "fiscal_year": commitment.fiscal_year,
        "planned_assisted_clients": commitment.planned_assisted_clients,
        "measure_commitments": _DECIMALS.dump_python(commitment.measure_commitments, mode="json"),
        "improvement_commitments": _DECIMALS.dump_python(
            commitment.improvement_commitments, mode="json"
        ),
        "stamp": stamp.model_dump(mode="json"),
    }


def commitment_of(row: Mapping[Any, Any]) -> tuple[BusinessPlanCommitment, Stamp]:
    """A commitment and its approval stamp from its row."""
    commitment = BusinessPlanCommitment(
        site_id=row["site_id"],
        fiscal_year=row["fiscal_year"],
        planned_assisted_clients=row["planned_assisted_clients"],
        measure_commitments=_DECIMALS.validate_python(row["measure_commitments"]),
        improvement_commitments=_DECIMALS.validate_python(row["improvement_commitments"]),
    )
    return commitment, Stamp.model_validate(row["stamp"])


def measured_plan_fact(
    row: Mapping[Any, Any],
    referral_rows_of_plan: Iterable[Mapping[Any, Any]],
    follow_up_rows_of_plan: Iterable[Mapping[Any, Any]],
) -> PlanFact:
    """A plan fact for computing measures, from a row read without ``stamps``.

    Built without validation (the row was written from a validated fact) and
    without stamps (the measures never read them): the refresher loads many.
    """
    return PlanFact.model_construct(
        plan_id=row["plan_id"],
        client_id=row["client_id"],
        site_id=row["site_id"],
        opened_on=row["opened_on"],
        closed_on=row["closed_on"],
        outcome=None if row["outcome"] is None else Outcome(row["outcome"]),
        components_started=frozenset(PlanComponent(c) for c in row["components_started"]),
        satisfaction_rating=row["satisfaction_rating"],
        referrals_by_source={
            r["event_id"]: Referral.model_construct(
                direction=ReferralDirection(r["direction"]),
                category=ReferralCategory(r["category"]),
                referred_on=r["referred_on"],
            )
            for r in referral_rows_of_plan
        },
        follow_ups={
            FollowUpCheckpoint(f["checkpoint"]): Outcome(f["outcome"])
            for f in follow_up_rows_of_plan
        },
        stamps={},
    )


def measured_client_fact(row: Mapping[Any, Any]) -> ClientFact:
    """A client fact for computing measures, from a row read without ``stamps`` (unvalidated)."""
    source = row.get("referral_source")
    referral_source = None if source is None else ReferralSource(source)
    return ClientFact.model_construct(**{**row, "referral_source": referral_source, "stamps": {}})
