"""Correlation ids: one per request, from ``X-Correlation-ID`` or new, echoed back.

The id is bound into structlog's contextvars for the request's log lines, put
on ``request.state.correlation_id`` (read it with the :data:`CorrelationId`
dependency to stamp event metadata) and returned in the response header. It is
a UUID, like the event envelope's ``correlation_id``: a header that is not a
UUID is replaced by a fresh one.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import structlog
from fastapi import Depends, Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CORRELATION_HEADER = "X-Correlation-ID"


class CorrelationIdMiddleware:
    """Bind a correlation id to the request, its logs and its response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app with the request's correlation id bound."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        correlation_id = parse_correlation_id(Headers(scope=scope).get(CORRELATION_HEADER))
        scope.setdefault("state", {})["correlation_id"] = correlation_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[CORRELATION_HEADER] = str(correlation_id)
            await send(message)

        with structlog.contextvars.bound_contextvars(correlation_id=str(correlation_id)):
            await self.app(scope, receive, send_with_id)


def parse_correlation_id(value: str | None) -> uuid.UUID:
    """The UUID in ``value``, or a new random one if it holds none."""
    if value:
        try:
            return uuid.UUID(value.strip())
        except ValueError:
            pass
    return uuid.uuid4()


def correlation_id(request: Request) -> uuid.UUID:
    """The correlation id of the current request."""
    value = getattr(request.state, "correlation_id", None)
    return value if isinstance(value, uuid.UUID) else uuid.uuid4()


CorrelationId = Annotated[uuid.UUID, Depends(correlation_id)]
"""A route parameter holding the request's correlation id."""
