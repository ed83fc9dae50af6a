"""Filing and correcting a site's monthly Resource and Information report."""

from __future__ import annotations

from datetime import date

from chassis.eventstore import ConcurrencyConflict
from contracts.envelope import EventMetadata
from services.caseload.app.commands import ReportResourceAndInformation
from services.caseload.app.ports import ResourceAndInformationReports
from services.caseload.domain import ResourceAndInformation


async def report_resource_and_information(
    command: ReportResourceAndInformation,
    *,
    site_id: str,
    month: str,
    today: date,
    metadata: EventMetadata,
    reports: ResourceAndInformationReports,
) -> ResourceAndInformation:
    """File the month's report (expected version 0) or correct it (its current revision)."""
    report = await reports.get(site_id, month)
    if report.version != command.expected_version:
        raise ConcurrencyConflict(report.id, command.expected_version, report.version)
    counts, reported_on = command.counts, command.reported_on
    if report.revision == 0:
        report.report(
            site_id=site_id, month=month, counts=counts, reported_on=reported_on, today=today
        )
    else:
        report.correct(counts=counts, reported_on=reported_on, today=today)
    await reports.save(report, metadata)
    return report
