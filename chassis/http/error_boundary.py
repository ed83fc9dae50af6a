"""The last line of defence: unexpected exceptions become a bare 500 problem.

The exception and its traceback go to the log (with the request's correlation
id bound); the caller gets only the correlation id to quote. The traceback is
logged as plain text, never with local variables: locals hold bearer tokens and
personal data, and rendering them is slow. Runs inside the
correlation middleware, so the 500 response carries ``X-Correlation-ID`` too.
"""

from __future__ import annotations

import traceback

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chassis.http.problems import INTERNAL_ERROR, problem_response
from chassis.logging import get_logger

log = get_logger(__name__)


class UnhandledErrorMiddleware:
    """Render any exception that escaped every handler as a 500 problem."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; on an unexpected exception, log it and answer 500."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            log.error(
                "unhandled error",
                method=scope.get("method"),
                path=scope.get("path"),
                exception="".join(traceback.format_exception(error)),
            )
            if started:
                raise
            response = problem_response(
                Request(scope),
                type_uri=INTERNAL_ERROR.uri,
                title=INTERNAL_ERROR.title,
                status=INTERNAL_ERROR.status,
                detail="An unexpected error occurred. Quote the correlation id when reporting it.",
            )
            await response(scope, receive, send)
