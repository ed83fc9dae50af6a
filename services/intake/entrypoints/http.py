"""Intake's HTTP routes: register, read, update the profile, read suitability.

Every route needs client-level access (ministry analysts get 403). Reads and
changes of a client are site scoped: another site's client answers 404 like
an unknown one. Commands need an ``Idempotency-Key``.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Path, Response

from chassis.http import (
    ClientLevelPrincipal,
    CorrelationId,
    IdempotencyKey,
    IdempotentRoute,
    Principal,
    ResourceNotFound,
    id_for_idempotency_key,
    require_site_access,
)
from chassis.http.problems import PROBLEM_MEDIA_TYPE
from contracts.envelope import EventMetadata
from services.intake import app as use_cases
from services.intake.entrypoints.dependencies import Intake, IntakeContext
from services.intake.entrypoints.request_bodies import RegisterClientRequest, UpdateProfileRequest
from services.intake.entrypoints.response_bodies import (
    ClientOut,
    ClientSummary,
    PersonalDetailsOut,
    SuitabilityOut,
)

T = TypeVar("T")
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No such client, or a client of a site the caller may not reach.",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
}
ClientId = Annotated[UUID, Path(description="Pseudonymous client id.")]

router = APIRouter(prefix="/clients", route_class=IdempotentRoute, tags=["clients"])


@router.post(
    "",
    status_code=201,
    summary="Register a client",
    description="Registers a person at a site, assesses suitability and determines "
    "eligibility with the rule book of the registration date's fiscal year. Personal "
    "details are stored encrypted and never published.",
    response_description="The registered client; `Location` names it.",
)
async def register_client(
    command: RegisterClientRequest,
    principal: ClientLevelPrincipal,
    key: IdempotencyKey,
    correlation_id: CorrelationId,
    intake: Intake,
    response: Response,
) -> ClientSummary:
    """Register a client at one of the caller's sites."""
    require_site_access(principal, command.site_id, hide_existence=False)
    client_id = id_for_idempotency_key(principal.subject, key)
    client = await use_cases.register_client(
        command.to_command(intake.today()),
        client_id=client_id,
        metadata=_metadata(principal, correlation_id, command.site_id, client_id),
        clients=intake.repository,
        rulebooks=intake.rulebooks,
        today=intake.today(),
    )
    response.headers["Location"] = f"/clients/{client_id}"
    response.headers["ETag"] = f'"{client.version}"'
    return ClientSummary.of(client)


@router.get(
    "/{client_id}",
    responses=NOT_FOUND,
    summary="Read a client with personal details",
    description="For caseworkers and site managers of the client's site, and admins.",
)
async def read_client(
    client_id: ClientId,
    principal: ClientLevelPrincipal,
    correlation_id: CorrelationId,
    intake: Intake,
    response: Response,
) -> ClientOut:
    """A client's derived state and decrypted personal details (each read is audited)."""
    site_id = await _check_site(intake, principal, client_id)
    record = await _found(
        use_cases.get_client(
            client_id=client_id,
            clients=intake.repository,
        )
    )
    details = record.personal_details
    if details is not None and intake.read_log is not None:
        await intake.read_log.record(
            client_id=client_id,
            actor=principal.subject,
            site_id=site_id,
            correlation_id=correlation_id,
        )
    response.headers["ETag"] = f'"{record.client.version}"'
    return ClientOut(
        **dict(ClientSummary.of(record.client)),
        personal_details=PersonalDetailsOut(**dict(details)) if details else None,
    )


@router.put(
    "/{client_id}/profile",
    responses=NOT_FOUND,
    summary="Update a client's profile",
    description="Replaces the profile facts. If a derived attribute changed, suitability "
    "and eligibility are re-assessed with the rule book of the update date. `version` must "
    "be the client's current version, else 409.",
)
async def update_profile(
    client_id: ClientId,
    command: UpdateProfileRequest,
    principal: ClientLevelPrincipal,
    correlation_id: CorrelationId,
    intake: Intake,
    response: Response,
) -> ClientSummary:
    """Update the profile of a client of one of the caller's sites."""
    site_id = await _check_site(intake, principal, client_id)
    client = await _found(
        use_cases.update_profile(
            command.to_command(intake.today()),
            client_id=client_id,
            metadata=_metadata(principal, correlation_id, site_id, None),
            clients=intake.repository,
            rulebooks=intake.rulebooks,
            today=intake.today(),
        )
    )
    response.headers["ETag"] = f'"{client.version}"'
    return ClientSummary.of(client)


@router.get(
    "/{client_id}/suitability",
    responses=NOT_FOUND,
    summary="Read a client's suitability",
    description="The latest suitability assessment: indicators, count, band, suitable.",
)
async def read_suitability(
    client_id: ClientId, principal: ClientLevelPrincipal, intake: Intake
) -> SuitabilityOut:
    """The latest suitability assessment of a client of one of the caller's sites."""
    await _check_site(intake, principal, client_id)
    client = await _found(
        use_cases.get_client_summary(client_id=client_id, clients=intake.repository)
    )
    if client.suitability is None:
        raise ResourceNotFound("suitability assessment")
    return SuitabilityOut.of(client.suitability)


async def _check_site(intake: IntakeContext, principal: Principal, client_id: UUID) -> str:
    site_id = await intake.directory.site_of(client_id)
    if site_id is None:
        raise ResourceNotFound("client")
    require_site_access(principal, site_id)
    return site_id


async def _found(awaitable: Awaitable[T]) -> T:
    try:
        return await awaitable
    except use_cases.UnknownClient:
        raise ResourceNotFound("client") from None


def _metadata(
    principal: Principal, correlation_id: UUID, site_id: str, causation_id: UUID | None
) -> EventMetadata:
    return EventMetadata(
        correlation_id=correlation_id,
        causation_id=causation_id,
        actor=principal.subject,
        site_id=site_id,
    )
