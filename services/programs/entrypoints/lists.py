"""Programs' lists: Second Career applications and SEB participations by status, and
the applications waiting for the caller's decision. Read-only, paginated by cursor.

Deciders are site managers (their sites), admins (every site) and, once the
ministry's regional role exists (``ministry_consultant``), its holders for
the sites in their token.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from chassis.http import ClientLevelPrincipal, CurrentPrincipal, Role
from chassis.http.cursors import CursorParam, Page, PageSize, decode_cursor, next_cursor
from chassis.http.list_scope import refuse_unknown_query_parameters, visible_sites
from chassis.http.problems import FORBIDDEN, ProblemException
from services.programs.adapters.program_cases import list_program_cases
from services.programs.domain.second_career_state import ApplicationStatus

DECIDING_ROLE_NAMES = frozenset({"site_manager", "admin", "ministry_consultant"})
"""Roles that decide Second Career applications; works before and after the ministry role."""


class ProgramCaseRow(BaseModel):
    """An application or participation in a list."""

    resource_id: UUID = Field(description="The application's or participation's id.")
    client_id: UUID | None
    site_id: str
    status: str
    since: date | None = Field(description="Submission (Second Career) or start (SEB) date.")
    version: int = Field(description="Its version: the next command's expected_version.")


def _page(name: str, rows: list, limit: int) -> Page[ProgramCaseRow]:
    return Page[ProgramCaseRow](
        items=[ProgramCaseRow.model_validate(dict(row)) for row in rows[:limit]],
        next_cursor=next_cursor(name, rows, limit, lambda r: (r["since"], r["resource_id"])),
    )


def _deciding_sites(principal) -> frozenset[str] | None:  # type: ignore[no-untyped-def]
    names = {role.value for role in principal.roles}
    if not names & DECIDING_ROLE_NAMES:
        raise ProblemException(FORBIDDEN, "Only those who decide applications have this list.")
    if Role.ADMIN in principal.roles:
        return None
    return principal.site_ids


def lists_router() -> APIRouter:
    """``GET`` lists of Second Career applications and SEB participations."""
    router = APIRouter(
        tags=["programs lists"], dependencies=[Depends(refuse_unknown_query_parameters)]
    )

    @router.get("/second-career/applications", summary="List Second Career applications")
    async def list_applications(
        request: Request,
        principal: ClientLevelPrincipal,
        status: ApplicationStatus | None = None,
        client_id: UUID | None = None,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[ProgramCaseRow]:
        """Applications of my sites by submission date, filtered by status or client."""
        after = decode_cursor("second-career", cursor, (date, UUID))
        rows = await list_program_cases(
            request.app.state.programs_engine,
            kind="second-career",
            sites=visible_sites(principal),
            status=status.value if status else None,
            client_id=client_id,
            after=after,
            limit=limit,
        )
        return _page("second-career", rows, limit)

    @router.get("/seb/participations", summary="List SEB participations")
    async def list_participations(
        request: Request,
        principal: ClientLevelPrincipal,
        status: Literal["in-progress", "completed"] | None = None,
        client_id: UUID | None = None,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[ProgramCaseRow]:
        """SEB participations of my sites by start date, filtered by status or client."""
        after = decode_cursor("seb", cursor, (date, UUID))
        rows = await list_program_cases(
            request.app.state.programs_engine,
            kind="seb",
            sites=visible_sites(principal),
            status=status,
            client_id=client_id,
            after=after,
            limit=limit,
        )
        return _page("seb", rows, limit)

    @router.get("/second-career/awaiting-decision", summary="Applications waiting for my decision")
    async def awaiting_my_decision(
        request: Request,
        principal: CurrentPrincipal,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[ProgramCaseRow]:
        """Submitted applications at the sites I decide for, oldest submission first."""
        after = decode_cursor("awaiting-decision", cursor, (date, UUID))
        rows = await list_program_cases(
            request.app.state.programs_engine,
            kind="second-career",
            sites=_deciding_sites(principal),
            status=ApplicationStatus.SUBMITTED.value,
            client_id=None,
            after=after,
            limit=limit,
        )
        return _page("awaiting-decision", rows, limit)

    return router
