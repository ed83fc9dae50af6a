"""Programs' view of caseload's ES plans, fed from ``eocms.caseload.events``.

Two facts are kept, both keyed so that re-applying or reordering events
changes nothing:

- per plan: its client and site, whether self-employment is written into it
  (its opening or any item said so) and whether it is closed. Both flags only
  ever turn on, so each upsert ORs the stored flag with the new one;
- per ``ReferralRecorded`` out to Second Career: one row by event id.

Every other event on the topic is ignored. The runner's progress rows already
drop redeliveries; the upserts make a replay harmless too.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer import DecodedEvent, SubscribedProjection
from chassis.database import upsert_insert
from contracts.caseload import (
    PlanItemAdded,
    ReferralCategory,
    ReferralDirection,
    ReferralRecorded,
    ServicePlanClosed,
    ServicePlanOpened,
)
from contracts.topics import CASELOAD_EVENTS
from services.programs.adapters.tables import second_career_referrals, service_plans

GROUP_ID = "programs.service-plans"

PlanFacts = ServicePlanOpened | PlanItemAdded | ServicePlanClosed


def _names_self_employment(event: PlanFacts) -> bool:
    if isinstance(event, ServicePlanOpened | PlanItemAdded):
        return event.self_employment
    return False


def _goes_out_to_second_career(referral: ReferralRecorded) -> bool:
    return (
        referral.direction is ReferralDirection.OUT
        and referral.category is ReferralCategory.SECOND_CAREER
    )


class ServicePlansProjection(SubscribedProjection):
    """Keeps ``service_plans`` and ``second_career_referrals`` up to date."""

    default_group = GROUP_ID
    default_topics = (CASELOAD_EVENTS,)

    async def apply(self, connection: AsyncConnection, events: list[DecodedEvent]) -> None:
        """Fold one batch into plan rows and referral rows, then write each with one upsert."""
        plans: dict[UUID, dict[str, Any]] = {}
        referrals: dict[UUID, dict[str, Any]] = {}
        for event in events:
            payload = event.payload
            if isinstance(payload, PlanFacts):
                _fold_plan(plans, payload)
            elif isinstance(payload, ReferralRecorded) and _goes_out_to_second_career(payload):
                referrals[event.envelope.event_id] = {
                    "event_id": event.envelope.event_id,
                    "client_id": payload.client_id,
                    "plan_id": payload.plan_id,
                    "site_id": payload.site_id,
                    "referred_on": payload.referred_on,
                }
        if plans:
            await _upsert_plans(connection, list(plans.values()))
        if referrals:
            statement = upsert_insert(connection, second_career_referrals)
            await connection.execute(
                statement.values(list(referrals.values())).on_conflict_do_nothing(
                    index_elements=["event_id"]
                )
            )


def _fold_plan(plans: dict[UUID, dict[str, Any]], event: PlanFacts) -> None:
    """Merge one plan event into the batch's row for its plan (flags only turn on)."""
    row = plans.setdefault(
        event.plan_id,
        {
            "plan_id": event.plan_id,
            "client_id": event.client_id,
            "site_id": event.site_id,
            "self_employment": False,
            "closed": False,
        },
    )
    row["self_employment"] = row["self_employment"] or _names_self_employment(event)
    row["closed"] = row["closed"] or isinstance(event, ServicePlanClosed)


async def _upsert_plans(connection: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    statement = upsert_insert(connection, service_plans).values(rows)
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=["plan_id"],
            set_={
                "self_employment": sa.or_(
                    service_plans.c.self_employment, statement.excluded.self_employment
                ),
                "closed": sa.or_(service_plans.c.closed, statement.excluded.closed),
            },
        )
    )
