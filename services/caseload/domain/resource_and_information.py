"""A site's monthly Resource and Information (R&I) report: unassisted activity, no client.

One stream per site and month (:meth:`ResourceAndInformation.stream_id_for`),
so one report per site per month. A second ``report`` is refused
(``MonthAlreadyReported``); a change is a ``correct``ion, recorded as the
next *revision* of the report: consumers keep the highest revision, and the
history of what was reported when stays in the stream. A correction must
change at least one count.

Counts must agree: ratings of 4-5 cannot outnumber ratings given, and
session attendees need at least one session. The month must have begun, and
a report is not dated before the month's first day or after today.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from chassis.aggregate import Aggregate
from contracts.caseload import ResourceAndInformationCounts, ResourceAndInformationReported
from contracts.registry import EventSchema
from services.caseload.domain import errors
from services.caseload.domain.dates import (
    first_day_of,
    require_not_before,
    require_not_in_future,
)

CountsRule = tuple[Callable[[ResourceAndInformationCounts], bool], str]

COUNTS_RULES: tuple[CountsRule, ...] = (
    (
        lambda c: c.satisfied_responses <= c.satisfaction_responses,
        "satisfied responses exceed satisfaction responses",
    ),
    (
        lambda c: c.information_sessions > 0 or c.information_session_attendees == 0,
        "information session attendees without any information session",
    ),
)
"""Consistency rules on a month's counts, each a check and the message when it fails."""


class ResourceAndInformation(Aggregate):
    """One site's R&I counts for one month, with corrections as revisions."""

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self._initial_state()

    def _initial_state(self) -> None:
        self.latest: ResourceAndInformationReported | None = None

    @staticmethod
    def stream_id_for(site_id: str, month: str) -> str:
        """The stream of one site's report for one ``YYYY-MM`` month."""
        first_day_of(month)
        return f"resource-and-information:{site_id}:{month}"

    @property
    def revision(self) -> int:
        """0 before the report, 1 for the report, 2+ after corrections."""
        return self.latest.revision if self.latest else 0

    def report(
        self,
        *,
        site_id: str,
        month: str,
        counts: ResourceAndInformationCounts,
        reported_on: date,
        today: date,
    ) -> None:
        """File the month's report, once per site and month."""
        if self.id != self.stream_id_for(site_id, month):
            raise ValueError(f"stream {self.id} does not hold {site_id}'s report for {month}")
        if self.latest is not None:
            raise errors.MonthAlreadyReported(site_id, month)
        self._file(site_id, month, counts, reported_on, today)

    def correct(
        self, *, counts: ResourceAndInformationCounts, reported_on: date, today: date
    ) -> None:
        """Correct the filed report with new counts: its next revision."""
        if self.latest is None:
            raise errors.MonthNotReported(self.id)
        if counts == self.latest.counts:
            raise errors.CorrectionChangesNothing(self.latest.site_id, self.latest.month)
        require_not_before(
            "the correction date",
            reported_on,
            "the previous revision, dated",
            self.latest.reported_on,
        )
        self._file(self.latest.site_id, self.latest.month, counts, reported_on, today)

    def _file(
        self,
        site_id: str,
        month: str,
        counts: ResourceAndInformationCounts,
        reported_on: date,
        today: date,
    ) -> None:
        problems = [message for holds, message in COUNTS_RULES if not holds(counts)]
        if problems:
            raise errors.InconsistentCounts(problems)
        first_day = first_day_of(month)
        require_not_in_future("the month's first day", first_day, today)
        require_not_in_future("the report date", reported_on, today)
        require_not_before("the report date", reported_on, "the month's first day", first_day)
        self._record(
            ResourceAndInformationReported(
                site_id=site_id,
                month=month,
                revision=self.revision + 1,
                reported_on=reported_on,
                counts=counts,
            )
        )

    def apply(self, event: EventSchema) -> None:
        """Keep the latest revision."""
        match event:
            case ResourceAndInformationReported():
                self.latest = event
            case _:
                super().apply(event)
