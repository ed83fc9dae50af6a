"""The facts projection's batch as a few set-based statements (PostgreSQL).

A batch arrives as column arrays (:class:`FactColumns`: one entry per event
the projection uses, primitives only), is unnested on the server, reduced to
the newest event per (key, fact group) by stamp, and merged into each fact
table with one upsert that keeps, group by group, whichever of the stored and
the incoming values has the newer stamp. It is the domain fold's rule
(:mod:`services.reporting.domain.fold`) applied to sets, so the tables stay
independent of the interleaving of topics and of redeliveries:

- a replaced group (registration, suitability, eligibility, opening, exit,
  rating, each follow-up) is written only if its stamp
  ``(occurred_at, stream_version, event_id)`` is newer than the stored one;
- components started are a union; referrals are keyed by the recording
  event's id (insert, never update);
- a row is written only when something in it changes, so re-applying a batch
  changes nothing and marks nothing dirty.

Each upsert returns the rows it wrote with their values before the batch, so
the caller marks the site-years of both (the domain's
:mod:`~services.reporting.domain.site_years` rule, applied in Python to the
returned rows). The property test
``tests/integration/reporting/test_projection_properties.py`` holds this
against the plain reference computation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection


def _key(stamp: str) -> str:
    """SQL sort key of a stamp held as jsonb (the domain's ``Stamp.key()``)."""
    return (
        f"ROW(({stamp} ->> 'occurred_at')::timestamptz, ({stamp} ->> 'stream_version')::int, "
        f"({stamp} ->> 'event_id') COLLATE \"C\")"
    )


def _newer(group: str) -> str:
    """SQL: the incoming row's stamp of ``group`` is newer than the stored row's."""
    new, old = f"(excluded.stamps::jsonb -> '{group}')", f"(f.stamps::jsonb -> '{group}')"
    return f"({new} IS NOT NULL AND ({old} IS NULL OR {_key(new)} > {_key(old)}))"


def _pick(column: str, group: str) -> str:
    return f"{column} = CASE WHEN {_newer(group)} THEN excluded.{column} ELSE f.{column} END"


_MERGED_STAMPS = (
    "stamps = (f.stamps::jsonb || coalesce((SELECT jsonb_object_agg(e.key, e.value)"
    " FROM jsonb_each(excluded.stamps::jsonb) e"
    " WHERE (f.stamps::jsonb -> e.key) IS NULL"
    f" OR {_key('e.value')} > {_key('(f.stamps::jsonb -> e.key)')}), '{{}}'::jsonb))::json"
)

_NEWEST = (
    "SELECT DISTINCT ON ({key}, grp) *, jsonb_build_object('occurred_at', occurred_at,"
    " 'stream_version', stream_version, 'event_id', event_id) AS stamp"
    " FROM input WHERE grp IS NOT NULL"
    ' ORDER BY {key}, grp, occurred_at DESC, stream_version DESC, event_id COLLATE "C" DESC'
)

CLIENTS_SQL = f"""
WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::int[], $5::text[],
                         $6::text[], $7::date[], $8::bool[], $9::int[], $10::text[], $11::bool[],
                         $12::text[])
        AS t(client_id, grp, occurred_at, stream_version, event_id, site_id, registered_on,
             suitable, suitability_count, suitability_band, eligible, referral_source)
), newest AS ({_NEWEST.format(key="client_id")}
), merged AS (
    SELECT client_id,
           max(site_id) FILTER (WHERE grp = 'registered') AS site_id,
           max(registered_on) FILTER (WHERE grp = 'registered') AS registered_on,
           bool_or(suitable) FILTER (WHERE grp = 'suitability') AS suitable,
           max(suitability_count) FILTER (WHERE grp = 'suitability') AS suitability_count,
           max(suitability_band) FILTER (WHERE grp = 'suitability') AS suitability_band,
           bool_or(eligible) FILTER (WHERE grp = 'eligibility') AS eligible,
           max(referral_source) FILTER (WHERE grp = 'referral_source') AS referral_source,
           jsonb_object_agg(grp, stamp) AS stamps
    FROM newest GROUP BY client_id
), old AS (
    SELECT c.client_id, c.site_id, c.registered_on
    FROM {{schema}}reporting_client_facts c JOIN merged USING (client_id)
), written AS (
    INSERT INTO {{schema}}reporting_client_facts AS f (client_id, site_id, registered_on, suitable,
        suitability_count, suitability_band, eligible, referral_source, stamps)
    SELECT client_id, site_id, registered_on, suitable, suitability_count, suitability_band,
           eligible, referral_source, stamps::json
    FROM merged
    ON CONFLICT (client_id) DO UPDATE SET
        {_pick("site_id", "registered")},
        {_pick("registered_on", "registered")},
        {_pick("suitable", "suitability")},
        {_pick("suitability_count", "suitability")},
        {_pick("suitability_band", "suitability")},
        {_pick("eligible", "eligibility")},
        {_pick("referral_source", "referral_source")},
        {_MERGED_STAMPS}
    WHERE {_newer("registered")} OR {_newer("suitability")} OR {_newer("eligibility")}
        OR {_newer("referral_source")}
    RETURNING client_id, site_id, registered_on
)
SELECT w.client_id, w.site_id, w.registered_on, o.site_id, o.registered_on
FROM written w LEFT JOIN old o USING (client_id)
"""

PLANS_SQL = f"""
WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[],
                         $6::int[], $7::text[], $8::date[], $9::date[], $10::text[], $11::int[],
                         $12::int[], $13::text[])
        AS t(plan_id, client_id, site_id, grp, occurred_at, stream_version, event_id,
             opened_on, closed_on, outcome, rating, checkpoint, follow_up_outcome)
), plans AS (
    SELECT DISTINCT ON (plan_id) plan_id, client_id, site_id FROM input ORDER BY plan_id
), newest AS ({_NEWEST.format(key="plan_id")}
), stamps AS (
    SELECT plan_id, jsonb_object_agg(grp, stamp) AS stamps FROM newest GROUP BY plan_id
), components AS (
    SELECT plan_id,
           array_agg(DISTINCT component COLLATE "C" ORDER BY component COLLATE "C") AS components
    FROM unnest($14::uuid[], $15::text[]) AS c(plan_id, component) GROUP BY plan_id
), merged AS (
    SELECT p.plan_id, p.client_id, p.site_id, o.opened_on, x.closed_on, x.outcome,
           to_json(coalesce(k.components, '{{}}'::text[])) AS components_started,
           s.rating AS satisfaction_rating, coalesce(st.stamps, '{{}}'::jsonb) AS stamps
    FROM plans p
    LEFT JOIN newest o ON o.plan_id = p.plan_id AND o.grp = 'opened'
    LEFT JOIN newest x ON x.plan_id = p.plan_id AND x.grp = 'closed'
    LEFT JOIN newest s ON s.plan_id = p.plan_id AND s.grp = 'satisfaction'
    LEFT JOIN components k ON k.plan_id = p.plan_id
    LEFT JOIN stamps st ON st.plan_id = p.plan_id
), old AS (
    SELECT f.plan_id, f.site_id, f.opened_on, f.closed_on, f.stamps::jsonb AS stamps
    FROM {{schema}}reporting_plan_facts f JOIN plans USING (plan_id)
), referrals_written AS (
    INSERT INTO {{schema}}reporting_referrals (event_id, plan_id, direction, category,
        referred_on)
    SELECT * FROM unnest($16::text[], $17::uuid[], $18::text[], $19::text[], $20::date[])
    ON CONFLICT (event_id) DO NOTHING
    RETURNING plan_id
), follow_ups_written AS (
    INSERT INTO {{schema}}reporting_follow_ups (plan_id, checkpoint, outcome)
    SELECT n.plan_id, n.checkpoint, n.follow_up_outcome
    FROM newest n LEFT JOIN old ON old.plan_id = n.plan_id
    WHERE n.checkpoint IS NOT NULL
      AND ((old.stamps -> n.grp) IS NULL OR {_key("n.stamp")} > {_key("(old.stamps -> n.grp)")})
    ON CONFLICT (plan_id, checkpoint) DO UPDATE SET outcome = excluded.outcome
    RETURNING plan_id
), written AS (
    INSERT INTO {{schema}}reporting_plan_facts AS f (plan_id, client_id, site_id, opened_on,
        closed_on,
        outcome, components_started, satisfaction_rating, stamps)
    SELECT plan_id, client_id, site_id, opened_on, closed_on, outcome, components_started,
           satisfaction_rating, stamps::json
    FROM merged
    ON CONFLICT (plan_id) DO UPDATE SET
        {_pick("opened_on", "opened")},
        {_pick("closed_on", "closed")},
        {_pick("outcome", "closed")},
        {_pick("satisfaction_rating", "satisfaction")},
        components_started = (
            SELECT to_json(coalesce(array_agg(DISTINCT u.c COLLATE "C" ORDER BY u.c COLLATE "C"),
                                    '{{}}'::text[]))
            FROM (SELECT json_array_elements_text(f.components_started)
                  UNION ALL SELECT json_array_elements_text(excluded.components_started)) u(c)
        ),
        {_MERGED_STAMPS}
    WHERE EXISTS (
            SELECT 1 FROM jsonb_each(excluded.stamps::jsonb) e
            WHERE (f.stamps::jsonb -> e.key) IS NULL
               OR {_key("e.value")} > {_key("(f.stamps::jsonb -> e.key)")})
       OR NOT (excluded.components_started::jsonb <@ f.components_started::jsonb)
    RETURNING plan_id, site_id, opened_on, closed_on
)
SELECT w.site_id, w.opened_on, w.closed_on, o.opened_on, o.closed_on
FROM written w LEFT JOIN old o USING (plan_id)
UNION ALL
SELECT o.site_id, o.opened_on, o.closed_on, NULL, NULL
FROM old o
WHERE o.plan_id IN (SELECT plan_id FROM referrals_written)
  AND o.plan_id NOT IN (SELECT plan_id FROM written)
"""


@dataclass(slots=True)
class FactColumns:
    """One batch's fact changes as column arrays, in the order the statements unnest them."""

    clients: list[list[Any]] = field(default_factory=lambda: [[] for _ in range(12)])
    plans: list[list[Any]] = field(default_factory=lambda: [[] for _ in range(13)])
    components: list[list[Any]] = field(default_factory=lambda: [[], []])
    referrals: list[list[Any]] = field(default_factory=lambda: [[] for _ in range(5)])

    def client(
        self,
        client_id: UUID,
        group: str,
        stamp: tuple[datetime, int, str],
        *,
        site_id: str | None = None,
        registered_on: date | None = None,
        suitable: bool | None = None,
        suitability_count: int | None = None,
        suitability_band: str | None = None,
        eligible: bool | None = None,
        referral_source: str | None = None,
    ) -> None:
        """One client group set by an event stamped ``stamp`` (occurred_at, version, id)."""
        values = (client_id, group, *stamp, site_id, registered_on, suitable, suitability_count)
        more = (suitability_band, eligible, referral_source)
        for column, value in zip(self.clients, (*values, *more), strict=True):
            column.append(value)

    def plan(
        self,
        plan_id: UUID,
        client_id: UUID,
        site_id: str,
        group: str | None,
        stamp: tuple[datetime, int, str],
        *,
        opened_on: date | None = None,
        closed_on: date | None = None,
        outcome: str | None = None,
        rating: int | None = None,
        checkpoint: int | None = None,
        follow_up_outcome: str | None = None,
    ) -> None:
        """One plan event: the group it replaces (None: additive facts only) and its values."""
        values = (plan_id, client_id, site_id, group, *stamp, opened_on, closed_on, outcome)
        for column, value in zip(
            self.plans, (*values, rating, checkpoint, follow_up_outcome), strict=True
        ):
            column.append(value)

    def component(self, plan_id: UUID, component: str) -> None:
        """A component started (or received) on a plan."""
        self.components[0].append(plan_id)
        self.components[1].append(component)

    def referral(
        self, event_id: str, plan_id: UUID, direction: str, category: str, referred_on: date
    ) -> None:
        """A referral, keyed by the id of the event recording it."""
        for column, value in zip(
            self.referrals, (event_id, plan_id, direction, category, referred_on), strict=True
        ):
            column.append(value)


def in_schema(connection: AsyncConnection, sql: str) -> str:
    """``sql`` on the tables of the connection's ``schema_translate_map`` (the rebuild's copy)."""
    translate = connection.sync_connection.get_execution_options().get("schema_translate_map") or {}
    schema = translate.get(None)
    return sql.replace("{schema}", f'"{schema}".' if schema else "")


async def write_plans(
    connection: AsyncConnection, columns: FactColumns
) -> list[tuple[str, date | None, date | None, date | None, date | None]]:
    """Merge the batch's plan events; (site, opened, closed, old opened, old closed) per plan."""
    if not columns.plans[0]:
        return []
    result = await connection.exec_driver_sql(
        in_schema(connection, PLANS_SQL), (*columns.plans, *columns.components, *columns.referrals)
    )
    return [tuple(row) for row in result]  # type: ignore[misc]


async def write_clients(
    connection: AsyncConnection, columns: FactColumns
) -> list[tuple[UUID, str | None, date | None, str | None, date | None]]:
    """Merge the batch's client events; (client, site, registered, old site, old registered)
    per client whose facts changed."""
    if not columns.clients[0]:
        return []
    result = await connection.exec_driver_sql(
        in_schema(connection, CLIENTS_SQL), tuple(columns.clients)
    )
    return [tuple(row) for row in result]  # type: ignore[misc]
