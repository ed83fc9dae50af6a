"""Exception handlers turning every error into ``application/problem+json``.

``install_problem_handlers(app, domain_errors)`` registers handlers for request
validation, HTTP errors, :class:`ProblemException`, the event store's
:class:`ConcurrencyConflict` (409), :class:`EventTooLarge` (413) and each
service's domain exceptions. Unexpected exceptions are rendered by
:mod:`chassis.http.error_boundary`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException

from chassis.eventstore import ConcurrencyConflict, EventTooLarge
from chassis.http.problems import (
    CONCURRENCY_CONFLICT,
    EVENT_TOO_LARGE,
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHENTICATED,
    VALIDATION_ERROR,
    ProblemException,
    problem_response,
    render_problem,
)
from chassis.logging import get_logger

log = get_logger(__name__)

DomainErrors = Mapping[type[Exception], int]
"""A service's domain exceptions and the HTTP status each maps to."""

_TYPED_HTTP_ERRORS = {401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND}


def install_problem_handlers(app: FastAPI, domain_errors: DomainErrors | None = None) -> None:
    """Register problem+json handlers for built-in errors and ``domain_errors``.

    ``domain_errors`` maps exception classes to statuses, e.g.
    ``{PlanClosed: 409, UnknownClient: 404}``. A subclass is rendered by its
    nearest registered ancestor. The type URI is ``/problems/<kebab-name>``, the
    title the first line of the class docstring, the detail ``str(exception)``.
    """
    app.add_exception_handler(ProblemException, _problem)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(ConcurrencyConflict, _concurrency_conflict)
    app.add_exception_handler(EventTooLarge, _event_too_large)
    for error_class, status in (domain_errors or {}).items():
        if not 400 <= status <= 599:
            raise ValueError(f"{error_class.__name__}: {status} is not an error status")
        app.add_exception_handler(error_class, _domain_error_handler(error_class, status))


def domain_problem_uri(error_class: type[Exception]) -> str:
    """``PlanClosed`` -> ``/problems/plan-closed`` (a trailing ``Error`` is dropped)."""
    name = error_class.__name__.removesuffix("Error") or error_class.__name__
    return "/problems/" + re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def domain_problem_title(error_class: type[Exception]) -> str:
    """The first docstring line of the class, else its name in words."""
    doc = error_class.__dict__.get("__doc__")
    if doc and doc.strip():
        return doc.strip().splitlines()[0].rstrip(".")
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", error_class.__name__).lower()
    return words[:1].upper() + words[1:]


async def _problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, ProblemException)
    return render_problem(request, error)


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    # The offending input is never echoed: it may hold personal information.
    errors = [
        {
            "field": ".".join(str(part) for part in item.get("loc", ())),
            "message": item.get("msg", ""),
            "type": item.get("type", ""),
        }
        for item in error.errors()
    ]
    return problem_response(
        request,
        type_uri=VALIDATION_ERROR.uri,
        title=VALIDATION_ERROR.title,
        status=VALIDATION_ERROR.status,
        detail=f"{len(errors)} field(s) failed validation.",
        extensions={"errors": errors},
    )


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    typed = _TYPED_HTTP_ERRORS.get(error.status_code)
    phrase = _phrase(error.status_code)
    detail = error.detail if isinstance(error.detail, str) and error.detail != phrase else None
    headers = dict(error.headers or {})
    if error.status_code == 405:
        headers["Allow"] = _allowed_methods(request, headers.get("Allow", ""))
    return problem_response(
        request,
        type_uri=typed.uri if typed else "about:blank",
        title=typed.title if typed else phrase,
        status=error.status_code,
        detail=detail,
        headers=headers,
    )


def _allowed_methods(request: Request, first: str) -> str:
    """Every method some route of this path takes (GET and POST of one path may be two routes,
    e.g. a list and a command; Starlette's 405 names the first route's methods only)."""
    methods = {m.strip() for m in first.split(",") if m.strip()}
    for context in iter_route_contexts(request.app.routes):
        route = context.route
        path_regex = getattr(route, "path_regex", None)
        if path_regex is not None and path_regex.match(request.url.path):
            methods |= set(context.methods or ())
    return ", ".join(sorted(methods))


async def _concurrency_conflict(request: Request, error: Exception) -> Response:
    assert isinstance(error, ConcurrencyConflict)
    return problem_response(
        request,
        type_uri=CONCURRENCY_CONFLICT.uri,
        title=CONCURRENCY_CONFLICT.title,
        status=CONCURRENCY_CONFLICT.status,
        detail="Someone else changed this resource first; reload it and try again.",
        extensions={
            "expected_version": error.expected_version,
            "actual_version": error.actual_version,
        },
    )


async def _event_too_large(request: Request, error: Exception) -> Response:
    assert isinstance(error, EventTooLarge)
    log.info("event too large", event_type=error.event_type, size=error.size, limit=error.limit)
    return problem_response(
        request,
        type_uri=EVENT_TOO_LARGE.uri,
        title=EVENT_TOO_LARGE.title,
        status=EVENT_TOO_LARGE.status,
        detail="The event this command would record is larger than the event bus carries; "
        "nothing was stored. Send less data (shorter texts, fewer items).",
        extensions={"event_type": error.event_type, "max_record_bytes": error.limit},
    )


def _domain_error_handler(error_class: type[Exception], status: int):  # type: ignore[no-untyped-def]
    type_uri = domain_problem_uri(error_class)
    title = domain_problem_title(error_class)

    async def handle(request: Request, error: Exception) -> Response:
        log.info("domain error", error=type(error).__name__, status=status)
        return problem_response(
            request, type_uri=type_uri, title=title, status=status, detail=str(error) or None
        )

    return handle


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
