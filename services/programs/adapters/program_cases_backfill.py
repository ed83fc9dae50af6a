"""List rows for the cases saved before their kind was listed (a migration's job).

Second Career applications and SEB participations saved before ``p0004``
created ``program_cases``, and every JCP project created before projects
were listed, have a directory row but no list row: they would never show in
the lists (a JCP project waiting for the ministry's decision would never reach
the consultant's "waiting for my decision"). :func:`backfill_program_cases`
rebuilds each such aggregate from its stored events and writes its row.
Idempotent: a case with a row is left alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Connection

from chassis.aggregate import Aggregate
from chassis.eventstore.tables import events
from contracts.registry import DEFAULT_REGISTRY
from services.programs.adapters.program_cases import LISTED_KINDS, status_and_since
from services.programs.adapters.tables import application_directory, program_cases
from services.programs.domain import JcpProject, SebParticipation, SecondCareerApplication

AGGREGATES: dict[str, type[Aggregate]] = {
    "second-career": SecondCareerApplication,
    "jcp-project": JcpProject,
    "seb": SebParticipation,
}
"""The aggregate type of each listed kind (its streams are ``<kind>-<id>``)."""


def backfill_program_cases(connection: Connection) -> int:
    """Write the missing list rows on a synchronous (migration) connection; how many."""
    d = application_directory.c
    listed = sa.select(program_cases.c.resource_id)
    missing = connection.execute(
        sa.select(d.resource_id, d.kind, d.client_id, d.site_id)
        .where(d.kind.in_(sorted(LISTED_KINDS)))
        .where(~d.resource_id.in_(listed))
    ).all()
    written = 0
    for resource_id, kind, client_id, site_id in missing:
        stored = connection.execute(
            sa.select(events.c.event_type, events.c.schema_version, events.c.payload)
            .where(events.c.stream_id == f"{kind}-{resource_id}")
            .order_by(events.c.stream_version)
        ).all()
        if not stored:
            continue
        history = [DEFAULT_REGISTRY.decode(t, v, dict(payload)) for t, v, payload in stored]
        aggregate = AGGREGATES[kind].rehydrate(str(resource_id), history)
        status, since = status_and_since(aggregate)
        connection.execute(
            sa.insert(program_cases).values(
                resource_id=resource_id,
                kind=kind,
                client_id=client_id,
                site_id=site_id,
                status=status,
                since=since,
                version=aggregate.version,
            )
        )
        written += 1
    return written
