"""Opening a plan right after registration: wait briefly for intake's event, never store a miss.

Caseload learns of a client from intake's ``ClientRegistered`` on the bus, a
moment after intake answered the registration. Until it arrives, caseload
cannot tell a client registered a second ago from one never registered.
So it does not refuse for good:

- :class:`PatientKnownClients` asks the known-clients view again for up to
  ``CASELOAD_UNKNOWN_CLIENT_WAIT_SECONDS`` (default 2 s) while the client is
  unknown, which covers the usual delay;
- if the client is still unknown, :func:`client_not_yet_known` answers
  **503** ``/problems/unknown-client`` with ``Retry-After``. A 5xx is never
  stored under the idempotency key, so the caller retries with the *same*
  key and gets the plan once the registration has arrived.
"""

from __future__ import annotations

import asyncio
import time

from fastapi import Request
from fastapi.responses import Response

from chassis.http.problem_handlers import domain_problem_title, domain_problem_uri
from chassis.http.problems import problem_response
from services.caseload.domain import ClientStatus, KnownClients
from services.caseload.domain.errors import UnknownClient

RETRY_AFTER_SECONDS = 2
POLL_SECONDS = 0.2


class PatientKnownClients:
    """A ``KnownClients`` that waits up to ``wait_seconds`` for an unknown client to arrive."""

    def __init__(self, view: KnownClients, wait_seconds: float) -> None:
        self._view = view
        self._wait = wait_seconds

    async def status(self, client_id):  # type: ignore[no-untyped-def]
        """The view's status; while unknown, asked again until the wait runs out."""
        deadline = time.monotonic() + self._wait
        status = await self._view.status(client_id)
        while status is ClientStatus.UNKNOWN and time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            status = await self._view.status(client_id)
        return status


async def client_not_yet_known(request: Request, error: Exception) -> Response:
    """503 with ``Retry-After``: retry with the same idempotency key."""
    return problem_response(
        request,
        type_uri=domain_problem_uri(UnknownClient),
        title=domain_problem_title(UnknownClient),
        status=503,
        detail=f"{error}. Caseload has not received this client's registration yet; "
        f"retry with the same Idempotency-Key after {RETRY_AFTER_SECONDS} s.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


UNKNOWN_CLIENT_RESPONSE: dict[int | str, dict] = {
    503: {
        "description": "Caseload has not received the client's registration yet: retry with "
        "the same Idempotency-Key after `Retry-After` seconds (this answer is not stored).",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
}
"""The OpenAPI description of the retryable refusal, for ``POST /service-plans``."""
