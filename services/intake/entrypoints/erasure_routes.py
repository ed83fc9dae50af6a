"""Intake's erasure route: a site manager or admin erases a client's personal details.

Erasure destroys the client's data key (crypto-shredding) and records
``intake.ClientPersonalDetailsErased``, which carries no personal data; the
envelope's ``actor`` says who erased. Another site's client answers 404 like
an unknown one; caseworkers and analysts get 403 whatever the id.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from chassis.http import (
    CorrelationId,
    IdempotentRoute,
    Principal,
    ResourceNotFound,
    Role,
    require_roles,
    require_site_access,
)
from chassis.http.problems import PROBLEM_MEDIA_TYPE
from contracts.envelope import EventMetadata
from services.intake import app as use_cases
from services.intake.entrypoints.dependencies import Intake

Eraser = Annotated[Principal, Depends(require_roles(Role.SITE_MANAGER, Role.ADMIN))]
"""Who may erase: site managers (of the client's site) and admins."""

router = APIRouter(prefix="/clients", route_class=IdempotentRoute, tags=["clients"])


class ErasureOut(BaseModel):
    """The outcome of an erasure."""

    model_config = ConfigDict(extra="forbid")

    client_id: UUID = Field(description="Pseudonymous client id.")
    personal_details_erased: bool = Field(description="Always true once erased.", examples=[True])
    version: int = Field(ge=1, description="The client's version after the erasure.")


@router.post(
    "/{client_id}/erasure",
    summary="Erase a client's personal details",
    description="Destroys the client's data key, so their personal details can never be "
    "read again, from the database or any backup of it; their pseudonymous history stays. "
    "Site managers of the client's site and admins only. Erasing again changes nothing.",
    responses={
        404: {
            "description": "No such client, or a client of a site the caller may not reach.",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    },
)
async def erase_client(
    client_id: Annotated[UUID, Path(description="Pseudonymous client id.")],
    principal: Eraser,
    correlation_id: CorrelationId,
    intake: Intake,
) -> ErasureOut:
    """Erase the personal details of a client of one of the caller's sites."""
    site_id = await intake.directory.site_of(client_id)
    if site_id is None:
        raise ResourceNotFound("client")
    require_site_access(principal, site_id)
    today: date = intake.today()
    try:
        client = await use_cases.erase_personal_details(
            client_id=client_id,
            erased_on=today,
            metadata=EventMetadata(
                correlation_id=correlation_id, actor=principal.subject, site_id=site_id
            ),
            clients=intake.repository,
            today=today,
        )
    except use_cases.UnknownClient:
        raise ResourceNotFound("client") from None
    return ErasureOut(client_id=client_id, personal_details_erased=True, version=client.version)
