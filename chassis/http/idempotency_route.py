"""The route class that makes a router's commands idempotent.

Build command routers with ``APIRouter(route_class=IdempotentRoute)``. Its
POST, PUT, PATCH and DELETE routes declare a required ``Idempotency-Key``
header (so OpenAPI shows it) and run through
:func:`chassis.http.idempotency.execute_idempotently`; its GET routes are
untouched. :func:`create_service_app` refuses a command route of any other class.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute

from chassis.http.idempotency import IDEMPOTENCY_HEADER, MAX_KEY_LENGTH, execute_idempotently
from chassis.http.idempotency_store import IdempotencyStore

COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_command(methods: Iterable[str] | None) -> bool:
    """Whether a route with these methods changes state."""
    return bool(COMMAND_METHODS.intersection(method.upper() for method in methods or ()))


def idempotency_key(
    request: Request,
    key: Annotated[
        str,
        Header(
            alias=IDEMPOTENCY_HEADER,
            description=f"Required on every command: a new unique value (a UUID is ideal, "
            f"at most {MAX_KEY_LENGTH} characters) per intended action. Retrying with the "
            "same key and body replays the first response without running the command "
            "again; the same key with another body is refused (422); a retry while the "
            "first request still runs gets 409.",
        ),
    ],
) -> str:
    """The request's idempotency key (as normalised by the idempotency wrapper)."""
    return getattr(request.state, "idempotency_key", key)


IdempotencyKey = Annotated[str, Depends(idempotency_key)]
"""A route parameter holding the command's idempotency key."""


def idempotency_store(request: Request) -> IdempotencyStore:
    """The store the app factory put on the application."""
    store = getattr(request.app.state, "idempotency_store", None)
    if store is None:
        raise RuntimeError("command routes need create_service_app(idempotency=...)")
    return store


class IdempotentRoute(APIRoute):
    """An APIRoute whose command methods require and honour ``Idempotency-Key``."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if is_command(kwargs.get("methods")):
            kwargs["dependencies"] = [*(kwargs.get("dependencies") or ()), Depends(idempotency_key)]
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The usual handler, wrapped for commands by the idempotency protocol."""
        handler = super().get_route_handler()
        if not is_command(self.methods):
            return handler

        async def idempotent_handler(request: Request) -> Response:
            return await execute_idempotently(request, handler, idempotency_store(request))

        return idempotent_handler
