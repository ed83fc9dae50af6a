"""Routes of ``/sites``: sites' monthly Resource and Information reports (no client data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from chassis.http import (
    CorrelationId,
    IdempotentRoute,
    Principal,
    Role,
    require_roles,
    require_site_access,
)
from contracts.caseload import MONTH_PATTERN
from services.caseload.app import commands
from services.caseload.app.reports import report_resource_and_information
from services.caseload.entrypoints.dependencies import Collaborators, Today, metadata_for
from services.caseload.entrypoints.response_bodies import ResourceAndInformationView

Reporter = Annotated[
    Principal, Depends(require_roles(Role.CASEWORKER, Role.SITE_MANAGER, Role.ADMIN))
]
"""Who files a site's report: its caseworkers and managers, or an admin."""


def sites_router() -> APIRouter:
    """Routes of ``/sites``: site-level aggregates, no client."""
    router = APIRouter(prefix="/sites", route_class=IdempotentRoute, tags=["sites"])

    @router.put(
        "/{site_id}/resource-and-information/{month}",
        summary="File or correct a month's R&I report",
    )
    async def report_month(
        site_id: Annotated[
            str, Path(pattern=commands.SITE_ID_PATTERN, description="Reporting site.")
        ],
        month: Annotated[str, Path(pattern=MONTH_PATTERN, description="Month, YYYY-MM.")],
        command: commands.ReportResourceAndInformation,
        principal: Reporter,
        correlation_id: CorrelationId,
        caseload: Collaborators,
        today: Today,
        response: Response,
    ) -> ResourceAndInformationView:
        """File the month's report (expected_version 0) or correct it (current version)."""
        require_site_access(principal, site_id, resource="site", hide_existence=False)
        report = await report_resource_and_information(
            command,
            site_id=site_id,
            month=month,
            today=today,
            metadata=metadata_for(principal, correlation_id, site_id),
            reports=caseload.reports,
        )
        view = ResourceAndInformationView.of(report)
        response.headers["ETag"] = f'"{view.version}"'
        return view

    return router
