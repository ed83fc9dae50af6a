"""Programs' lists: Second Career applications and SEB cases by status, and the
Second Career applications, JCP projects and SEB cases waiting for the caller's
decision. Read-only, paginated by cursor.

Deciders are the ministry's (rule book v2's role separation): the regional
Employment and Training Consultant (``ministry_consultant``) for the sites in
their token, and admins for every site. Site staff, site managers included,
prepare and submit; their "waiting for my decision" is a 403.
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
from chassis.http.principal import Principal
from services.programs.adapters.program_cases import list_program_cases
from services.programs.domain.second_career_state import ApplicationStatus
from services.programs.entrypoints.dependencies import require_decider

AWAITING_CURSORS = {
    "second-career": "awaiting-decision",
    "jcp-project": "jcp-awaiting-decision",
    "seb": "seb-awaiting-decision",
}
"""Per listed kind, the cursor name of its "waiting for my decision" list."""


class ProgramCaseRow(BaseModel):
    """A Second Career application, JCP project or SEB case in a list."""

    resource_id: UUID = Field(description="The application's, project's or SEB case's id.")
    client_id: UUID | None = Field(description="Whose case (null for a JCP project).")
    site_id: str
    status: str = Field(examples=["submitted"])
    since: date | None = Field(
        description="Submission date (Second Career, SEB), or start date (a JCP project; an "
        "SEB case started before decisions existed): the list's order."
    )
    version: int = Field(description="Its version: the next command's expected_version.")


def _page(name: str, rows: list, limit: int) -> Page[ProgramCaseRow]:
    return Page[ProgramCaseRow](
        items=[ProgramCaseRow.model_validate(dict(row)) for row in rows[:limit]],
        next_cursor=next_cursor(name, rows, limit, lambda r: (r["since"], r["resource_id"])),
    )


def _deciding_sites(principal: Principal) -> frozenset[str] | None:
    """The sites whose cases the caller decides (None: every site), or 403.

    The same check as the decisions' (:func:`require_decider`): site staff list
    their cases by status instead.
    """
    require_decider(principal)
    if Role.ADMIN in principal.roles:
        return None
    return principal.site_ids


async def _awaiting(
    request: Request, principal: Principal, kind: str, cursor: str | None, limit: int
) -> Page[ProgramCaseRow]:
    """Submitted cases of one kind at the caller's deciding sites, oldest first."""
    cursor_name = AWAITING_CURSORS[kind]
    after = decode_cursor(cursor_name, cursor, (date, UUID))
    rows = await list_program_cases(
        request.app.state.programs_engine,
        kind=kind,
        sites=_deciding_sites(principal),
        status="submitted",
        client_id=None,
        after=after,
        limit=limit,
    )
    return _page(cursor_name, rows, limit)


def lists_router() -> APIRouter:
    """``GET`` lists of Second Career applications, JCP projects and SEB participations."""
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
        status: Literal["submitted", "approved", "denied", "in-progress", "completed"]
        | None = None,
        client_id: UUID | None = None,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[ProgramCaseRow]:
        """SEB cases of my sites by submission date, filtered by status or client."""
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

    @router.get("/jcp/projects", summary="List JCP projects")
    async def list_projects(
        request: Request,
        principal: ClientLevelPrincipal,
        status: Literal["submitted", "approved", "denied"] | None = None,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[ProgramCaseRow]:
        """JCP projects of my sites by start date, filtered by status (the ministry's
        decision: submitted and waiting, approved for placements, or denied)."""
        after = decode_cursor("jcp-projects", cursor, (date, UUID))
        rows = await list_program_cases(
            request.app.state.programs_engine,
            kind="jcp-project",
            sites=visible_sites(principal),
            status=status,
            client_id=None,
            after=after,
            limit=limit,
        )
        return _page("jcp-projects", rows, limit)

    @router.get("/second-career/awaiting-decision", summary="Applications waiting for my decision")
    async def awaiting_my_decision(
        request: Request,
        principal: CurrentPrincipal,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[ProgramCaseRow]:
        """Submitted applications at the sites I decide for, oldest submission first.

        The ministry's: a ``ministry_consultant`` sees the sites of their region
        (in their token), an admin every site; anyone else gets 403.
        """
        return await _awaiting(request, principal, "second-career", cursor, limit)

    @router.get("/jcp/awaiting-decision", summary="JCP projects waiting for my decision")
    async def jcp_awaiting_my_decision(
        request: Request,
        principal: CurrentPrincipal,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[ProgramCaseRow]:
        """Submitted JCP projects at the sites I decide for, earliest project start first.

        The ministry's: a ``ministry_consultant`` sees the sites of their region
        (in their token), an admin every site; anyone else gets 403.
        """
        return await _awaiting(request, principal, "jcp-project", cursor, limit)

    @router.get("/seb/awaiting-decision", summary="SEB cases waiting for my decision")
    async def seb_awaiting_my_decision(
        request: Request,
        principal: CurrentPrincipal,
        cursor: CursorParam = None,
        limit: PageSize = 50,
    ) -> Page[ProgramCaseRow]:
        """Submitted SEB cases at the sites I decide for, oldest submission first.

        The ministry's: a ``ministry_consultant`` sees the sites of their region
        (in their token), an admin every site; anyone else gets 403.
        """
        return await _awaiting(request, principal, "seb", cursor, limit)

    return router
