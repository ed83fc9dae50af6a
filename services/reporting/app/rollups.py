"""Provider and region roll-ups from an SQS table's site rows.

Used by the roll-up endpoints and the measures export, so both agree with
``/sqs``: a group's roll-up is the domain's :func:`roll_up` of its sites'
counts under the table's rule book (summed, then scored: never an average of
site scores), as the domain's ``sqs_for_provider`` / ``sqs_for_region`` do
over facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from services.reporting.app.queries import SiteSqs, SqsTable
from services.reporting.domain import Site, SqsResult
from services.reporting.domain.rollup import counts_of, roll_up

Level = Literal["provider", "region"]
LEVELS: tuple[Level, ...] = ("provider", "region")
_KEY_OF: dict[Level, Callable[[Site], str]] = {
    "provider": lambda site: site.provider_id,
    "region": lambda site: site.region,
}


@dataclass(frozen=True)
class GroupRollup:
    """One provider's or region's sites (those in the table) and their roll-up."""

    level: Level
    key: str
    sites: tuple[SiteSqs, ...]
    result: SqsResult

    @property
    def site_ids(self) -> list[str]:
        """The ids of the sites summed."""
        return [row.site.site_id for row in self.sites]


def group_rollups(table: SqsTable, level: Level) -> list[GroupRollup]:
    """Each provider (or region) among the table's sites, by key, with its roll-up."""
    groups: dict[str, list[SiteSqs]] = defaultdict(list)
    for row in table.sites:
        groups[_KEY_OF[level](row.site)].append(row)
    return [
        GroupRollup(level, key, tuple(rows), rolled_up(f"{level}:{key}", rows, table))
        for key, rows in sorted(groups.items())
    ]


def rolled_up(scope: str, rows: Iterable[SiteSqs], table: SqsTable) -> SqsResult:
    """The SQS of ``rows`` together, from their summed counts."""
    return roll_up(scope, table.period, table.rulebook, (counts_of(row.result) for row in rows))
