"""Problem details (RFC 9457): the types this chassis emits and how to raise them.

Every error leaves a service as ``application/problem+json`` with ``type``,
``title``, ``status``, ``detail``, ``instance`` (the request path) and the
request's ``correlation_id``. Type URIs are relative (``/problems/...``), so
they resolve against the service that answered; none names an external host.

=====================================  ======  ==========================================
type                                   status  when
=====================================  ======  ==========================================
``/problems/validation-error``         422     the request does not match its schema;
                                               ``errors`` lists ``field``/``message``/``type``
``/problems/unauthenticated``          401     bearer token missing, invalid or expired
``/problems/forbidden``                403     the principal lacks a role or site
``/problems/client-level-forbidden``   403     a ministry analyst asked for client-level data
``/problems/not-found``                404     no such resource, or one the caller may not
                                               see (identical answer: existence never leaks)
``/problems/concurrency-conflict``     409     the aggregate moved on; ``expected_version``
                                               and ``actual_version`` say how far
``/problems/idempotency-key-missing``  400     a command came without ``Idempotency-Key``
``/problems/idempotency-key-invalid``  400     the key is empty, too long or not printable
``/problems/idempotency-key-reused``   422     the key was used for a different request
``/problems/request-in-flight``        409     the same request is still running; retry later
``/problems/event-too-large``          413     the command's event would not fit in one broker
                                               record (``max_record_bytes``); nothing stored
``/problems/not-ready``                503     a readiness check failed; ``checks`` says which
``/problems/internal-error``           500     anything unexpected (details are only logged)
``/problems/<domain-error>``           varies  a service's registered domain exception,
                                               e.g. ``PlanClosed`` -> ``/problems/plan-closed``
``about:blank``                        varies  any other HTTP error; title is the status phrase
=====================================  ======  ==========================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import JSONResponse

PROBLEM_MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True, slots=True)
class ProblemType:
    """One documented kind of problem: its type URI, title and usual status."""

    uri: str
    title: str
    status: int


VALIDATION_ERROR = ProblemType("/problems/validation-error", "Request is not valid", 422)
UNAUTHENTICATED = ProblemType("/problems/unauthenticated", "Authentication required", 401)
FORBIDDEN = ProblemType("/problems/forbidden", "Not allowed", 403)
CLIENT_LEVEL_FORBIDDEN = ProblemType(
    "/problems/client-level-forbidden", "Client-level data is not available to this role", 403
)
NOT_FOUND = ProblemType("/problems/not-found", "Resource not found", 404)
CONCURRENCY_CONFLICT = ProblemType(
    "/problems/concurrency-conflict", "The resource changed since it was read", 409
)
IDEMPOTENCY_KEY_MISSING = ProblemType(
    "/problems/idempotency-key-missing", "Idempotency-Key header required", 400
)
IDEMPOTENCY_KEY_INVALID = ProblemType(
    "/problems/idempotency-key-invalid", "Idempotency-Key header is not valid", 400
)
IDEMPOTENCY_KEY_REUSED = ProblemType(
    "/problems/idempotency-key-reused", "Idempotency-Key used for a different request", 422
)
REQUEST_IN_FLIGHT = ProblemType(
    "/problems/request-in-flight", "The same request is still being processed", 409
)
REQUEST_TOO_LARGE = ProblemType("/problems/request-too-large", "Request body too large", 413)
REQUEST_TOO_NESTED = ProblemType(
    "/problems/request-too-nested", "Request body nested too deeply", 422
)
HEADERS_TOO_LARGE = ProblemType(
    "/problems/headers-too-large", "Request header fields too large", 431
)
EVENT_TOO_LARGE = ProblemType(
    "/problems/event-too-large", "Command too large for the event bus", 413
)
NOT_READY = ProblemType("/problems/not-ready", "Service not ready", 503)
INTERNAL_ERROR = ProblemType("/problems/internal-error", "Internal error", 500)


class ProblemException(Exception):
    """An error that leaves the service as exactly this problem document."""

    def __init__(
        self,
        problem: ProblemType,
        detail: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, Any] | None = None,
    ) -> None:
        self.problem = problem
        self.detail = detail
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})
        super().__init__(detail or problem.title)


PATH_CHARACTERS = "/:@!$&'()*+,;=-._~"
"""Characters a URI path keeps as they are (RFC 3986 pchar and the separator)."""


def instance_uri(path: str) -> str:
    """The request path as a URI reference: percent-encoded, so any path parameter is valid."""
    return quote(path, safe=PATH_CHARACTERS)


def problem_response(
    request: Request,
    *,
    type_uri: str,
    title: str,
    status: int,
    detail: str | None = None,
    extensions: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Render one problem document for ``request``."""
    body: dict[str, Any] = {"type": type_uri, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = instance_uri(request.url.path)
    correlation_id = request.scope.get("state", {}).get("correlation_id")
    if correlation_id is not None:
        body["correlation_id"] = str(correlation_id)
    body.update(extensions or {})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def render_problem(request: Request, problem: ProblemException) -> JSONResponse:
    """Render a raised :class:`ProblemException`."""
    return problem_response(
        request,
        type_uri=problem.problem.uri,
        title=problem.problem.title,
        status=problem.problem.status,
        detail=problem.detail,
        extensions=problem.extensions,
        headers=problem.headers,
    )
