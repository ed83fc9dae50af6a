"""Intake's audit route: admins query who read which client's personal details, and when.

Answers from :class:`services.intake.adapters.PersonalDataReadLog`; the
entries hold no personal details, only pseudonymous ids, subjects and times.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from chassis.http import Principal, Role, require_roles
from services.intake.entrypoints.dependencies import Intake

Auditor = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
"""Who may read the audit trail: admins."""

router = APIRouter(prefix="/audit", tags=["audit"])


class PersonalDataReadOut(BaseModel):
    """One read of a client's personal details."""

    model_config = ConfigDict(extra="forbid")

    client_id: UUID = Field(description="Pseudonymous id of the client whose details were read.")
    actor: str = Field(description="Subject of the reader's token.", examples=["alice"])
    site_id: str = Field(description="The client's site.", examples=["S001"])
    read_at: datetime = Field(description="When the details were shown (UTC).")
    correlation_id: UUID = Field(description="Correlation id of the request.")


class PersonalDataReadsOut(BaseModel):
    """Reads of personal details, newest first."""

    model_config = ConfigDict(extra="forbid")

    reads: list[PersonalDataReadOut] = Field(description="Newest first, at most `limit`.")


@router.get(
    "/personal-data-reads",
    summary="Who read which client's personal details, and when",
    description="The audit trail of disclosures of personal details (admins only). "
    "Filters combine; entries never contain the details themselves.",
)
async def personal_data_reads(
    principal: Auditor,
    intake: Intake,
    client_id: Annotated[UUID | None, Query(description="Only this client.")] = None,
    actor: Annotated[
        str | None, Query(max_length=200, description="Only this reader (token subject).")
    ] = None,
    since: Annotated[datetime | None, Query(description="Reads at or after this time.")] = None,
    until: Annotated[datetime | None, Query(description="Reads before this time.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Most entries returned.")] = 100,
) -> PersonalDataReadsOut:
    """The matching reads, newest first."""
    if intake.read_log is None:
        return PersonalDataReadsOut(reads=[])
    reads = await intake.read_log.query(
        client_id=client_id, actor=actor, since=since, until=until, limit=limit
    )
    return PersonalDataReadsOut(
        reads=[
            PersonalDataReadOut(
                client_id=read.client_id,
                actor=read.actor,
                site_id=read.site_id,
                read_at=read.read_at,
                correlation_id=read.correlation_id,
            )
            for read in reads
        ]
    )
