"""The fold from events to facts: pure, commutative per fact, idempotent.

``apply_event`` gives the same facts for any interleaving of topics that keeps
each key's order (indeed for any order), and re-applying an event is a no-op:

- a fact an event *replaces* (suitability, eligibility, registration, exit,
  rating, a follow-up) is kept with the stamp of the event that set it and is
  only replaced by a newer stamp;
- *additive* facts are unions keyed by identity: referrals by event id,
  services started by component.

A caseload event arriving before the client's intake events simply creates the
plan fact; the client fact fills in when its events arrive.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from contracts.caseload import (
    FollowUpRecorded,
    PlanComponent,
    PlanEvent,
    ReferralDirection,
    ReferralRecorded,
    SatisfactionRecorded,
    ServicePlanClosed,
    ServicePlanOpened,
    ServiceStarted,
)
from contracts.intake import (
    ClientProfileUpdated,
    ClientRegistered,
    EligibilityDetermined,
    SuitabilityAssessed,
)
from services.reporting.domain.facts import ClientFact, PlanFact, Referral, ReportingFacts
from services.reporting.domain.stamped_event import Stamp, StampedEvent

ClientEvent = ClientRegistered | ClientProfileUpdated | SuitabilityAssessed | EligibilityDetermined
"""The intake events that set client facts."""


def apply_event(facts: ReportingFacts, event: StampedEvent) -> ReportingFacts:
    """The facts after one event; events reporting does not use leave them unchanged."""
    payload = event.payload
    if isinstance(payload, ClientEvent):
        client = facts.clients.get(payload.client_id) or ClientFact(client_id=payload.client_id)
        updated = _apply_to_client(client, payload, event.stamp)
        if updated is client:
            return facts
        return facts.model_copy(update={"clients": {**facts.clients, client.client_id: updated}})
    if isinstance(payload, PlanEvent):
        plan = facts.plans.get(payload.plan_id) or PlanFact(
            plan_id=payload.plan_id, client_id=payload.client_id, site_id=payload.site_id
        )
        updated_plan = _apply_to_plan(plan, payload, event)
        if updated_plan is plan:
            return facts
        return facts.model_copy(update={"plans": {**facts.plans, plan.plan_id: updated_plan}})
    return facts


def fold_events(
    events: Iterable[StampedEvent], facts: ReportingFacts | None = None
) -> ReportingFacts:
    """Apply events in the order given, starting from ``facts`` (or no facts)."""
    result = facts if facts is not None else ReportingFacts()
    for event in events:
        result = apply_event(result, event)
    return result


def _replace(fact: Any, group: str, stamp: Stamp, **fields: Any) -> Any:
    """``fact`` with ``fields`` set if ``stamp`` is newer than the group's stamp, else ``fact``."""
    if not stamp.is_newer_than(fact.stamps.get(group)):
        return fact
    return fact.model_copy(update={**fields, "stamps": {**fact.stamps, group: stamp}})


def _apply_to_client(client: ClientFact, payload: ClientEvent, stamp: Stamp) -> ClientFact:
    match payload:
        case ClientRegistered():
            client = _replace(
                client,
                "registered",
                stamp,
                site_id=payload.site_id,
                registered_on=payload.registered_on,
            )
            # How the client came (a referral in at registration), replaced by a
            # newer profile update that changes it.
            return _replace(
                client, "referral_source", stamp, referral_source=payload.referral_source
            )
        case ClientProfileUpdated():
            if payload.referral_source is None:
                return client
            return _replace(
                client, "referral_source", stamp, referral_source=payload.referral_source
            )
        case SuitabilityAssessed():
            return _replace(
                client,
                "suitability",
                stamp,
                suitable=payload.suitable,
                suitability_count=payload.indicator_count,
                suitability_band=payload.band,
            )
        case EligibilityDetermined():
            return _replace(client, "eligibility", stamp, eligible=payload.eligible_for_assisted_es)
    return client


def _apply_to_plan(plan: PlanFact, payload: PlanEvent, event: StampedEvent) -> PlanFact:
    stamp = event.stamp
    match payload:
        case ServicePlanOpened():
            plan = _replace(plan, "opened", stamp, opened_on=payload.opened_on)
            if payload.referred_in_from is not None:
                referral = Referral(
                    direction=ReferralDirection.IN,
                    category=payload.referred_in_from,
                    referred_on=payload.opened_on,
                )
                plan = _add_referral(plan, event.event_id, referral)
            return plan
        case ServiceStarted():
            return _add_components(plan, {payload.component})
        case ReferralRecorded():
            referral = Referral(
                direction=payload.direction,
                category=payload.category,
                referred_on=payload.referred_on,
            )
            return _add_referral(plan, event.event_id, referral)
        case ServicePlanClosed():
            plan = _add_components(plan, set(payload.components_received))
            return _replace(
                plan, "closed", stamp, closed_on=payload.exit_date, outcome=payload.outcome
            )
        case SatisfactionRecorded():
            return _replace(plan, "satisfaction", stamp, satisfaction_rating=payload.rating)
        case FollowUpRecorded():
            group = f"follow-up-{payload.checkpoint.months}"
            follow_ups = {**plan.follow_ups, payload.checkpoint: payload.outcome}
            return _replace(plan, group, stamp, follow_ups=follow_ups)
    return plan


def _add_components(plan: PlanFact, components: set[PlanComponent]) -> PlanFact:
    if components <= plan.components_started:
        return plan
    return plan.model_copy(update={"components_started": plan.components_started | components})


def _add_referral(plan: PlanFact, event_id: UUID, referral: Referral) -> PlanFact:
    key = str(event_id)
    if key in plan.referrals_by_source:
        return plan
    return plan.model_copy(
        update={"referrals_by_source": {**plan.referrals_by_source, key: referral}}
    )
