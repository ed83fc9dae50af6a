"""``GET /clients``: find clients of my sites by name, birth date or reference number.

The search runs on the blind index (:mod:`services.intake.adapters.search_index`):
the query's terms are hashed and compared, nothing is decrypted to search.
Only the page of matches is decrypted, to show each client's name. Pages are
ordered by registration date then id and follow an opaque cursor.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from chassis.http import ClientLevelPrincipal
from chassis.http.cursors import (
    CursorParam,
    IsoDateQuery,
    Page,
    PageSize,
    decode_cursor,
    next_cursor,
)
from chassis.http.list_scope import refuse_unknown_query_parameters, visible_sites
from chassis.http.problems import ProblemException, ProblemType
from services.intake.adapters.search_index import ClientQuery
from services.intake.domain.reference import normalise_reference
from services.intake.entrypoints.dependencies import Intake

REFERENCE_PATTERN = r"^[ -]*(?:[Ee][ -]*[Oo][ -]*)?(?:[0-9A-TV-Za-tv-z][ -]*){11}$"
"""A typed reference's shape: an optional ``EO``, eleven Crockford base32 characters
(any case; the look-alikes O, I and L read as 0, 1 and 1), spaces and hyphens anywhere."""
CRITERION_MISSING = ProblemType(
    "/problems/search-criterion-missing", "Give a name, a date of birth or a reference", 422
)
"""At least one of three query parameters: a rule the OpenAPI cannot state."""
REFERENCE_CHECK_FAILED = ProblemType(
    "/problems/reference-check-failed", "The reference's check character does not match", 422
)
"""A reference of the right shape whose check character is wrong: a mistyped one."""

router = APIRouter(
    prefix="/clients",
    tags=["clients"],
    dependencies=[Depends(refuse_unknown_query_parameters)],
)


class ClientMatch(BaseModel):
    """A client found by a search, with the names to recognise them (null once erased)."""

    client_id: UUID
    reference: str = Field(examples=["EO-7K2M-Q9XD-4RT"])
    site_id: str
    registered_on: date
    given_name: str | None
    family_name: str | None
    date_of_birth: date | None


@router.get("", summary="Find clients of my sites")
async def find_clients(
    principal: ClientLevelPrincipal,
    intake: Intake,
    name: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Family name, or given then family name; accents, case, "
            "hyphens and apostrophes do not matter. Exact after that (no prefixes).",
        ),
    ] = None,
    date_of_birth: IsoDateQuery | None = None,
    reference: Annotated[
        str | None,
        Query(
            max_length=40,
            pattern=REFERENCE_PATTERN,
            description="Client reference, e.g. EO-7K2M-Q9XD-4RT.",
        ),
    ] = None,
    cursor: CursorParam = None,
    limit: PageSize = 20,
) -> Page[ClientMatch]:
    """Clients matching every given criterion (at least one is required)."""
    if not (name or date_of_birth or reference):
        raise _invalid(CRITERION_MISSING, "name", "give a name, a date of birth or a reference")
    canonical = None
    if reference is not None:
        canonical = normalise_reference(reference)
        if canonical is None:
            raise _invalid(REFERENCE_CHECK_FAILED, "reference", "not a client reference")
    after = decode_cursor("clients", cursor, (date, str))
    index = intake.search_index
    assert index is not None, "bootstrap builds the search index"
    rows = await index.find(
        intake.engine,
        visible_sites(principal),
        ClientQuery(name=name, date_of_birth=date_of_birth, reference=canonical),
        after,
        limit,
    )
    matches = []
    async with intake.engine.connect() as connection:
        for row in rows[:limit]:
            details = await intake.vault.fetch(connection, UUID(row["client_id"]))
            matches.append(
                ClientMatch(
                    **row,
                    given_name=details.given_name if details else None,
                    family_name=details.family_name if details else None,
                    date_of_birth=details.date_of_birth if details else None,
                )
            )
    return Page[ClientMatch](
        items=matches,
        next_cursor=next_cursor(
            "clients", rows, limit, lambda row: (row["registered_on"], row["client_id"])
        ),
    )


def _invalid(problem: ProblemType, field: str, message: str) -> ProblemException:
    return ProblemException(
        problem,
        message,
        extensions={"errors": [{"field": field, "message": message, "type": "value_error"}]},
    )
