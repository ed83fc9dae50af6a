"""Caseload's HTTP API: service plans and sites' monthly R&I reports.

Every command needs an ``Idempotency-Key``; commands on a plan carry the
``expected_version`` the caller read and get 409 when it is stale. Plans of
sites the caller may not reach answer 404, like plans that do not exist;
ministry analysts get 403 on client-level routes. Access rules:
:mod:`.dependencies`.
"""

from __future__ import annotations

from fastapi import APIRouter

from services.caseload.entrypoints.lists import lists_router
from services.caseload.entrypoints.plan_routes import plans_router
from services.caseload.entrypoints.site_report_routes import sites_router


def routers() -> list[APIRouter]:
    """Every router of caseload's API."""
    return [plans_router(), sites_router(), lists_router()]
