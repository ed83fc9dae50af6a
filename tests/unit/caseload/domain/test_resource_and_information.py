"""Monthly R&I reports: one per site and month, corrected by revisions, counts consistent."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.caseload import ResourceAndInformationCounts, ResourceAndInformationReported
from services.caseload.domain import (
    CorrectionChangesNothing,
    DateInFuture,
    DateOutOfOrder,
    InconsistentCounts,
    InvalidMonth,
    MonthAlreadyReported,
    MonthNotReported,
    ResourceAndInformation,
)

SITE_ID, MONTH = "S001", "2012-09"
STREAM = ResourceAndInformation.stream_id_for(SITE_ID, MONTH)
REPORTED_ON, TODAY = date(2012, 10, 2), date(2012, 10, 15)
COUNTS = ResourceAndInformationCounts(
    participants=412,
    information_sessions=9,
    information_session_attendees=130,
    satisfaction_responses=60,
    satisfied_responses=52,
    wait_list=3,
)


def reported() -> ResourceAndInformation:
    report = ResourceAndInformation(STREAM)
    report.report(site_id=SITE_ID, month=MONTH, counts=COUNTS, reported_on=REPORTED_ON, today=TODAY)
    return report


def test_a_site_reports_a_month_as_revision_1() -> None:
    report = reported()
    assert report.pending_events == [
        ResourceAndInformationReported(
            site_id=SITE_ID, month=MONTH, revision=1, reported_on=REPORTED_ON, counts=COUNTS
        )
    ]
    assert report.revision == 1


def test_each_site_and_month_has_its_own_stream() -> None:
    assert STREAM == "resource-and-information:S001:2012-09"
    assert ResourceAndInformation.stream_id_for("S002", MONTH) != STREAM


def test_a_second_report_for_the_same_site_and_month_is_refused() -> None:
    report = reported()
    with pytest.raises(MonthAlreadyReported, match="correct it instead"):
        report.report(site_id=SITE_ID, month=MONTH, counts=COUNTS, reported_on=TODAY, today=TODAY)


def test_a_correction_is_recorded_as_the_next_revision() -> None:
    report = reported()
    corrected = COUNTS.model_copy(update={"participants": 415})
    report.correct(counts=corrected, reported_on=TODAY, today=TODAY)
    report.correct(counts=COUNTS, reported_on=TODAY, today=TODAY)
    revisions = [
        event.revision
        for event in report.pending_events
        if isinstance(event, ResourceAndInformationReported)
    ]
    assert revisions == [1, 2, 3]
    assert report.latest is not None and report.latest.counts == COUNTS


def test_a_correction_must_change_a_count() -> None:
    with pytest.raises(CorrectionChangesNothing):
        reported().correct(counts=COUNTS, reported_on=TODAY, today=TODAY)


def test_a_month_never_reported_cannot_be_corrected() -> None:
    with pytest.raises(MonthNotReported, match="report it first"):
        ResourceAndInformation(STREAM).correct(counts=COUNTS, reported_on=TODAY, today=TODAY)


def test_a_correction_cannot_be_dated_before_the_revision_it_corrects() -> None:
    changed = COUNTS.model_copy(update={"wait_list": 0})
    with pytest.raises(DateOutOfOrder, match="previous revision"):
        reported().correct(counts=changed, reported_on=date(2012, 10, 1), today=TODAY)


def test_a_month_can_be_reported_from_its_first_day_but_not_before_it_begins() -> None:
    report = ResourceAndInformation(ResourceAndInformation.stream_id_for(SITE_ID, "2012-10"))
    with pytest.raises(DateInFuture, match="month's first day"):
        report.report(
            site_id=SITE_ID,
            month="2012-10",
            counts=COUNTS,
            reported_on=date(2012, 9, 30),
            today=date(2012, 9, 30),
        )
    report.report(
        site_id=SITE_ID,
        month="2012-10",
        counts=COUNTS,
        reported_on=date(2012, 10, 1),
        today=date(2012, 10, 1),
    )
    assert report.revision == 1


def test_a_report_cannot_be_dated_before_its_month_or_after_today() -> None:
    with pytest.raises(DateOutOfOrder, match="first day"):
        ResourceAndInformation(STREAM).report(
            site_id=SITE_ID, month=MONTH, counts=COUNTS, reported_on=date(2012, 8, 31), today=TODAY
        )
    with pytest.raises(DateInFuture, match="report date"):
        ResourceAndInformation(STREAM).report(
            site_id=SITE_ID, month=MONTH, counts=COUNTS, reported_on=date(2012, 10, 16), today=TODAY
        )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"satisfied_responses": 61}, "satisfied responses exceed"),
        ({"information_sessions": 0}, "attendees without any information session"),
    ],
)
def test_counts_that_contradict_each_other_are_refused(
    change: dict[str, int], problem: str
) -> None:
    with pytest.raises(InconsistentCounts, match=problem):
        ResourceAndInformation(STREAM).report(
            site_id=SITE_ID,
            month=MONTH,
            counts=COUNTS.model_copy(update=change),
            reported_on=REPORTED_ON,
            today=TODAY,
        )


@pytest.mark.parametrize("month", ["2012-9", "2012-13", "September"])
def test_a_month_not_written_yyyy_mm_is_refused(month: str) -> None:
    with pytest.raises(InvalidMonth):
        ResourceAndInformation.stream_id_for(SITE_ID, month)


def test_a_report_is_filed_only_in_its_own_stream() -> None:
    with pytest.raises(ValueError, match="does not hold"):
        ResourceAndInformation(STREAM).report(
            site_id="S002", month=MONTH, counts=COUNTS, reported_on=REPORTED_ON, today=TODAY
        )


def test_a_rehydrated_report_equals_the_live_one() -> None:
    live = reported()
    live.correct(counts=COUNTS.model_copy(update={"wait_list": 0}), reported_on=TODAY, today=TODAY)
    history = live.pending_events
    live.mark_saved()
    rebuilt = ResourceAndInformation.rehydrate(STREAM, history)
    assert (rebuilt.latest, rebuilt.revision, rebuilt.version) == (live.latest, 2, 2)
