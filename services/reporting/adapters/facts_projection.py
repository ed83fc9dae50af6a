"""The facts projection: intake, caseload and programs events into reporting's fact tables.

On PostgreSQL a batch is a set operation (:mod:`.fact_sql`): the events'
fields go to the server as column arrays, and one statement per fact table
(plans with their follow-ups, referrals, clients) merges them, keeping per
fact group the newer stamp, as the domain fold does. Records of event types it
does not use (:attr:`FactsProjection.event_types`) are skipped by the consumer
from their headers, unparsed. On SQLite (the embedded single-process setup)
it reads the rows the batch touches (one read per table), applies the domain
fold (:func:`apply_event`) in memory and writes back the rows that changed
(one bulk upsert per table). The fold keeps, per fact group, the
stamp of the event that set it and only lets a newer stamp replace it;
referrals are keyed by event id and components are unions. So the tables do
not depend on the interleaving of topics, and re-applying a batch is a no-op
(besides the runner dropping redeliveries through its progress rows).

Every business-plan event (submitted, revised, review started, returned,
approved) is also kept as a milestone, once by event id
(:mod:`.business_plan_milestones`): each site's planning status comes from them.
``BusinessPlanApproved`` becomes a :class:`BusinessPlanCommitment` for its
(site, fiscal year), a later approval (by stamp) replacing an earlier one.
Batches of one projection are applied one at a time by its runner, so the
read-modify-write needs no lock.

In the same transaction it marks dirty the (site, fiscal year) pairs whose
measures the batch may change (``dirty_site_years``): a plan's opening and
exit years at its site, before and after the change; a changed client's
plans' site-years and registration site-year; an approval's site-year. The
refresher (``measures_refresh``) recomputes them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer import DecodedEvent, SubscribedProjection
from contracts.caseload import (
    FollowUpRecorded,
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
from contracts.programs import BusinessPlanApproved
from contracts.rulebook import fiscal_year_of
from contracts.topics import CASELOAD_EVENTS, INTAKE_EVENTS, PROGRAMS_EVENTS
from services.reporting.adapters import fact_rows, fact_sql, fact_tables
from services.reporting.adapters.business_plan_milestones import (
    MILESTONE_EVENTS,
    record_milestones,
)
from services.reporting.adapters.dirty_site_years import (
    mark_dirty,
    site_years_of_clients_plans,
)
from services.reporting.adapters.tables import (
    client_facts,
    commitments,
    follow_ups,
    plan_facts,
    referrals,
)
from services.reporting.domain import (
    BusinessPlanCommitment,
    ReportingFacts,
    Stamp,
    StampedEvent,
    fold_events,
)
from services.reporting.domain.fold import ClientEvent
from services.reporting.domain.site_years import (
    SiteYear,
    fiscal_years_of_plan,
    site_years_of_plan,
    site_years_of_registration,
)

GROUP_ID = "reporting.facts"
TOPICS = (INTAKE_EVENTS, CASELOAD_EVENTS, PROGRAMS_EVENTS)
_CLIENT_EVENTS = ClientEvent
USED_EVENT_TYPES = frozenset(
    model.event_type
    for model in (
        ClientRegistered,
        ClientProfileUpdated,
        SuitabilityAssessed,
        EligibilityDetermined,
        ServicePlanOpened,
        ServiceStarted,
        ReferralRecorded,
        ServicePlanClosed,
        SatisfactionRecorded,
        FollowUpRecorded,
        BusinessPlanApproved,
        *MILESTONE_EVENTS,
    )
)
"""What the projection uses; the consumer skips every other type from its headers."""


def stamped(event: DecodedEvent) -> StampedEvent:
    """What the fold needs of a decoded event: its payload and stamp."""
    envelope = event.envelope
    return StampedEvent(
        event_id=envelope.event_id,
        occurred_at=envelope.occurred_at,
        stream_version=envelope.stream_version,
        payload=event.payload,
    )


def commitment_from(approved: BusinessPlanApproved) -> BusinessPlanCommitment:
    """Reporting's view of an approved business plan (percentages become fractions)."""
    plan = approved.commitments
    return BusinessPlanCommitment(
        site_id=approved.site_id,
        fiscal_year=approved.fiscal_year,
        planned_assisted_clients=plan.planned_assisted_clients,
        measure_commitments={k: _fraction(v) for k, v in plan.core_measures.items()},
        improvement_commitments={k: _fraction(v) for k, v in plan.continuous_improvement.items()},
    )


def _fraction(percent: float) -> Decimal:
    return Decimal(str(percent)) / 100


class FactsProjection(SubscribedProjection):
    """Keeps reporting's fact tables up to date from intake, caseload and programs events."""

    default_group = GROUP_ID
    default_topics = TOPICS
    event_types = USED_EVENT_TYPES

    async def apply(self, connection: AsyncConnection, events: list[DecodedEvent]) -> None:
        """Fold one batch into the fact tables: a few set-based statements on PostgreSQL."""
        await record_milestones(connection, events)
        if connection.dialect.name == "postgresql":
            await _apply_as_sets(connection, events)
            return
        facts_events = [
            stamped(e) for e in events if isinstance(e.payload, _CLIENT_EVENTS | PlanEvent)
        ]
        approvals = [
            (e.payload, stamped(e).stamp)
            for e in events
            if isinstance(e.payload, BusinessPlanApproved)
        ]
        if facts_events:
            await _apply_facts(connection, facts_events)
        if approvals:
            await _apply_approvals(connection, approvals)


async def _apply_as_sets(connection: AsyncConnection, events: list[DecodedEvent]) -> None:
    columns = fact_sql.FactColumns()
    approvals: list[tuple[BusinessPlanApproved, Stamp]] = []
    for event in events:
        envelope, payload = event.envelope, event.payload
        stamp = (envelope.occurred_at, envelope.stream_version, str(envelope.event_id))
        match payload:
            case ClientRegistered():
                columns.client(
                    payload.client_id,
                    "registered",
                    stamp,
                    site_id=payload.site_id,
                    registered_on=payload.registered_on,
                )
                # How the client came (a referral in at registration); a newer
                # profile update that names a source replaces it (the domain fold).
                columns.client(
                    payload.client_id,
                    "referral_source",
                    stamp,
                    referral_source=_source(payload.referral_source),
                )
            case ClientProfileUpdated() if payload.referral_source is not None:
                columns.client(
                    payload.client_id,
                    "referral_source",
                    stamp,
                    referral_source=_source(payload.referral_source),
                )
            case SuitabilityAssessed():
                columns.client(
                    payload.client_id,
                    "suitability",
                    stamp,
                    suitable=payload.suitable,
                    suitability_count=payload.indicator_count,
                    suitability_band=payload.band,
                )
            case EligibilityDetermined():
                columns.client(
                    payload.client_id,
                    "eligibility",
                    stamp,
                    eligible=payload.eligible_for_assisted_es,
                )
            case PlanEvent():
                _plan_columns(columns, payload, stamp)
            case BusinessPlanApproved():
                approvals.append((payload, stamped(event).stamp))
    plans = await fact_sql.write_plans(connection, columns)
    clients = await fact_sql.write_clients(connection, columns)
    affected: set[SiteYear] = set()
    for site_id, opened_on, closed_on, old_opened_on, old_closed_on in plans:
        years = fiscal_years_of_plan(opened_on, closed_on)
        years |= fiscal_years_of_plan(old_opened_on, old_closed_on)
        affected |= {(site_id, year) for year in years}
    for _, site_id, registered_on, old_site_id, old_registered_on in clients:
        for site, day in ((site_id, registered_on), (old_site_id, old_registered_on)):
            if site is not None and day is not None:
                affected.add((site, fiscal_year_of(day)))
    if clients:
        affected |= await site_years_of_clients_plans(connection, [row[0] for row in clients])
    await mark_dirty(connection, affected)
    if approvals:
        await _apply_approvals(connection, approvals)


def _plan_columns(
    columns: fact_sql.FactColumns, payload: PlanEvent, stamp: tuple[datetime, int, str]
) -> None:
    """The column entries of one plan event (the fold's ``_apply_to_plan``, as data)."""
    plan = (payload.plan_id, payload.client_id, payload.site_id)
    match payload:
        case ServicePlanOpened():
            columns.plan(*plan, "opened", stamp, opened_on=payload.opened_on)
            if payload.referred_in_from is not None:
                columns.referral(
                    stamp[2],
                    payload.plan_id,
                    ReferralDirection.IN.value,
                    payload.referred_in_from.value,
                    payload.opened_on,
                )
        case ServiceStarted():
            columns.plan(*plan, None, stamp)
            columns.component(payload.plan_id, payload.component.value)
        case ReferralRecorded():
            columns.plan(*plan, None, stamp)
            columns.referral(
                stamp[2],
                payload.plan_id,
                payload.direction.value,
                payload.category.value,
                payload.referred_on,
            )
        case ServicePlanClosed():
            columns.plan(
                *plan, "closed", stamp, closed_on=payload.exit_date, outcome=payload.outcome.value
            )
            for component in payload.components_received:
                columns.component(payload.plan_id, component.value)
        case SatisfactionRecorded():
            columns.plan(*plan, "satisfaction", stamp, rating=payload.rating)
        case FollowUpRecorded():
            checkpoint = payload.checkpoint
            columns.plan(
                *plan,
                f"follow-up-{checkpoint.months}",
                stamp,
                checkpoint=int(checkpoint),
                follow_up_outcome=payload.outcome.value,
            )


async def _apply_facts(connection: AsyncConnection, events: list[StampedEvent]) -> None:
    client_ids = {e.payload.client_id for e in events if isinstance(e.payload, _CLIENT_EVENTS)}
    plan_ids = {e.payload.plan_id for e in events if isinstance(e.payload, PlanEvent)}
    before = ReportingFacts(
        clients=await fact_tables.read_clients(connection, client_ids),
        plans=await fact_tables.read_plans(connection, plan_ids=plan_ids),
    )
    after = fold_events(events, before)
    changed_clients = [
        fact for cid, fact in after.clients.items() if before.clients.get(cid) != fact
    ]
    changed_plans = [fact for pid, fact in after.plans.items() if before.plans.get(pid) != fact]
    client_rows = [fact_rows.client_row(fact) for fact in changed_clients]
    await fact_tables.upsert(connection, client_facts, client_rows)
    plan_rows = [fact_rows.plan_row(fact) for fact in changed_plans]
    await fact_tables.upsert(connection, plan_facts, plan_rows)
    referral_rows = [row for f in changed_plans for row in fact_rows.referral_rows(f)]
    await fact_tables.upsert(connection, referrals, referral_rows, update=False)
    follow_up_rows = [row for f in changed_plans for row in fact_rows.follow_up_rows(f)]
    await fact_tables.upsert(connection, follow_ups, follow_up_rows)
    await mark_dirty(connection, await _affected_site_years(connection, before, after))


async def _affected_site_years(
    connection: AsyncConnection, before: ReportingFacts, after: ReportingFacts
) -> set[SiteYear]:
    """Site-years whose measures the batch may have changed (before and after each change)."""
    affected: set[SiteYear] = set()
    for plan_id, plan in after.plans.items():
        if before.plans.get(plan_id) != plan:
            affected |= site_years_of_plan(before.plans.get(plan_id)) | site_years_of_plan(plan)
    changed_clients = [cid for cid, c in after.clients.items() if before.clients.get(cid) != c]
    for client_id in changed_clients:
        affected |= site_years_of_registration(before.clients.get(client_id))
        affected |= site_years_of_registration(after.clients[client_id])
    return affected | await site_years_of_clients_plans(connection, changed_clients)


async def _apply_approvals(
    connection: AsyncConnection, approvals: list[tuple[BusinessPlanApproved, Stamp]]
) -> None:
    keys = {(approved.site_id, approved.fiscal_year) for approved, _ in approvals}
    stored = await fact_tables.read_commitments(connection, keys=keys)
    newest: dict[tuple[str, str], tuple[BusinessPlanCommitment, Stamp]] = {}
    for approved, stamp in approvals:
        key = (approved.site_id, approved.fiscal_year)
        current = newest.get(key) or stored.get(key)
        if current is None or stamp.is_newer_than(current[1]):
            newest[key] = (commitment_from(approved), stamp)
    rows = [fact_rows.commitment_row(c, s) for c, s in newest.values()]
    await fact_tables.upsert(connection, commitments, rows)
    await mark_dirty(connection, newest.keys())


def _source(source: object) -> str | None:
    """A referral source as stored (its code), or None."""
    return None if source is None else str(getattr(source, "value", source))
