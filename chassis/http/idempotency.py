"""Running a command at most once per Idempotency-Key (see :mod:`.idempotency_store`).

For a command request the route handler is wrapped so that:

1. the caller is authenticated first (an unauthenticated request goes straight
   to the route, whose auth dependency answers 401);
2. a missing or malformed ``Idempotency-Key`` is a 400 problem;
3. a command transaction opens (:func:`chassis.eventstore.command_transaction`;
   the command's units of work join it) and the key is reserved in it for
   (principal, key) with a fingerprint of the request; a finished request
   replays its stored status, body and headers (with
   ``Idempotent-Replayed: true``) without running the handler; a different
   request under the same key is 422; one still in flight is 409;
4. on a replay, the access checks the route made the first time are made again
   for the caller's current token (:mod:`.replay_access`): a caller who lost
   the site gets the route's 404/403, not the stored success;
5. the handler runs. A success is stored in the same transaction as the
   command's events and commits with them: a crash before that commit leaves
   nothing, after it the retry replays. A handled error (422, 404, 409 ...)
   rolls the command back and its problem response is stored in a transaction
   of its own. Responses that are not the command's outcome (5xx, unexpected
   exceptions, 401/403/429) roll back and store nothing, so a retry runs the
   command again. A success with a streamed body commits without a stored
   response (it cannot be replayed; a retry runs the command again).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import Response

from chassis.eventstore.unit_of_work import command_transaction
from chassis.http.auth import authenticate
from chassis.http.idempotency_store import IdempotencyStore, StoredResponse
from chassis.http.problems import (
    IDEMPOTENCY_KEY_INVALID,
    IDEMPOTENCY_KEY_MISSING,
    ProblemException,
)
from chassis.http.replay_access import (
    ACCESS_HEADER,
    AccessChecks,
    authorize_replay,
    start_recording,
    without_access_header,
)
from chassis.http.request_hash import request_fingerprint
from chassis.logging import get_logger

log = get_logger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
_NOT_KEPT_HEADERS = frozenset({b"content-length", b"set-cookie"})
_CALLER_STATUSES = frozenset({401, 403, 429})

RouteHandler = Callable[[Request], Awaitable[Response]]


def parse_idempotency_key(value: str | None) -> str:
    """The key in an ``Idempotency-Key`` header value (surrounding quotes allowed)."""
    if value is None:
        raise ProblemException(
            IDEMPOTENCY_KEY_MISSING,
            "Commands need an Idempotency-Key header: a new unique value (e.g. a UUID) "
            "per intended action, sent again unchanged only to retry that action.",
        )
    key = value.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not (key.isascii() and key.isprintable()):
        raise ProblemException(
            IDEMPOTENCY_KEY_INVALID,
            f"An Idempotency-Key is 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
        )
    return key


async def execute_idempotently(
    request: Request, handler: RouteHandler, store: IdempotencyStore
) -> Response:
    """Run ``handler`` for ``request`` at most once per (principal, key)."""
    try:
        principal = await authenticate(request)
    except ProblemException:
        return await handler(request)
    key = parse_idempotency_key(request.headers.get(IDEMPOTENCY_HEADER))
    request.state.idempotency_key = key
    fingerprint = request_fingerprint(
        method=request.method,
        path=request.url.path,
        query=request.url.query,
        content_type=request.headers.get("content-type"),
        body=await request.body(),
    )
    checks = start_recording()
    subject = principal.subject
    async with (
        store.exclusive(subject, key),
        command_transaction(store.engine) as transaction,
    ):
        outcome = await store.reserve(transaction, subject, key, fingerprint)
        if isinstance(outcome, StoredResponse):
            authorize_replay(principal, outcome.headers)
            return replay(outcome)
        response, failed = await _respond(request, handler)
        kept = _kept(response, checks)
        if _streamed_success(response):  # the effect stands, but cannot be replayed
            await store.forget(transaction, outcome)
            await transaction.commit()
        elif failed or kept is None:
            await transaction.rollback()  # no effect: a retry runs the command again
        else:
            await store.complete(transaction, outcome, kept)
            await transaction.commit()  # the events and the response, together
            return response
    if failed and kept is not None:
        stored = await store.record(subject, key, fingerprint, kept)
        if stored != kept:
            authorize_replay(principal, stored.headers)
            return replay(stored)
    return response


def replay(stored: StoredResponse) -> Response:
    """Rebuild a stored response, marked as a replay."""
    response = Response(content=stored.body, status_code=stored.status)
    response.raw_headers.extend(
        (name.encode("latin-1"), value.encode("latin-1"))
        for name, value in without_access_header(stored.headers)
    )
    response.raw_headers.append((REPLAYED_HEADER.lower().encode(), b"true"))
    return response


async def _respond(request: Request, handler: RouteHandler) -> tuple[Response, bool]:
    """The handler's response, and whether it renders a handled exception (a refusal)."""
    try:
        return await handler(request), False
    except Exception as error:
        render = _exception_handler(request, error)
        if render is None:
            raise
        response = render(request, error)
        return (await response if inspect.isawaitable(response) else response), True


def _exception_handler(request: Request, error: Exception):  # type: ignore[no-untyped-def]
    handlers = request.app.exception_handlers
    for error_class in type(error).__mro__:
        if error_class in handlers:
            return handlers[error_class]
    return None


def _streamed_success(response: Response) -> bool:
    """A 1xx-3xx response with a streamed body: committed, not stored for replay."""
    return not isinstance(getattr(response, "body", None), bytes) and response.status_code < 400


def _kept(response: Response, checks: AccessChecks) -> StoredResponse | None:
    """The response to store for replays (with the route's access checks), or None.

    None when the response is not the command's outcome.
    """
    body = getattr(response, "body", None)
    status = response.status_code
    if status >= 500 or status in _CALLER_STATUSES or not isinstance(body, bytes):
        if not isinstance(body, bytes):
            log.warning("streamed command response cannot be replayed")
        return None
    headers = tuple(
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in response.raw_headers
        if name.lower() not in _NOT_KEPT_HEADERS
    )
    return StoredResponse(
        status=status, body=body, headers=(*headers, (ACCESS_HEADER, checks.encode()))
    )
