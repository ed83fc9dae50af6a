"""Filing and correcting a monthly R&I report with an in-memory fake."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from chassis.eventstore import ConcurrencyConflict
from contracts.caseload import ResourceAndInformationCounts
from contracts.envelope import EventMetadata
from services.caseload.app.commands import ReportResourceAndInformation
from services.caseload.app.reports import report_resource_and_information
from services.caseload.domain import DateInFuture
from tests.unit.caseload.app.fakes import FakeReports

TODAY = date(2012, 10, 5)
METADATA = EventMetadata(correlation_id=uuid.uuid4(), actor="manager-1", site_id="S001")
COUNTS = ResourceAndInformationCounts(
    participants=412,
    information_sessions=9,
    information_session_attendees=130,
    satisfaction_responses=60,
    satisfied_responses=52,
    wait_list=3,
)


async def report(reports: FakeReports, expected_version: int, month: str = "2012-09", **change):  # type: ignore[no-untyped-def]
    return await report_resource_and_information(
        ReportResourceAndInformation(
            expected_version=expected_version,
            counts=COUNTS.model_copy(update=change),
            reported_on=date(2012, 10, 1),
        ),
        site_id="S001",
        month=month,
        today=TODAY,
        metadata=METADATA,
        reports=reports,
    )


async def test_the_first_report_is_revision_one_and_a_correction_revision_two() -> None:
    reports = FakeReports()
    assert (await report(reports, 0)).revision == 1
    corrected = await report(reports, 1, wait_list=4)
    assert corrected.revision == 2 and corrected.latest.counts.wait_list == 4


async def test_a_stale_version_is_a_conflict() -> None:
    reports = FakeReports()
    await report(reports, 0)
    with pytest.raises(ConcurrencyConflict):
        await report(reports, 0)


async def test_a_month_not_begun_is_refused() -> None:
    with pytest.raises(DateInFuture):
        await report(FakeReports(), 0, month="2012-11")
