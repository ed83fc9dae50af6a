"""Programs' HTTP API: Second Career, JCP, SEB and ES business plans.

Every command needs an ``Idempotency-Key``; commands on an existing resource
carry the ``expected_version`` the caller read and get 409 when it is stale.
Resources of sites the caller may not reach answer 404, like absent ones;
ministry analysts get 403. Access rules: :mod:`.dependencies`.
"""

from __future__ import annotations

from fastapi import APIRouter

from services.programs.entrypoints.business_plan_routes import business_plans_router
from services.programs.entrypoints.jcp_routes import jcp_router
from services.programs.entrypoints.lists import lists_router
from services.programs.entrypoints.seb_routes import seb_router
from services.programs.entrypoints.second_career_routes import second_career_router


def routers() -> list[APIRouter]:
    """Every router of programs' API."""
    return [
        second_career_router(),
        jcp_router(),
        seb_router(),
        business_plans_router(),
        lists_router(),
    ]
