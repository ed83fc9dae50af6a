"""The gate every request passes before a route sees it, and the headers every answer gets.

In this order, before any body is read or parsed:

1. header values longer than the limit are refused (431);
2. every path but the public ones (health, metrics, the API documentation)
   needs a valid bearer token (401): an unauthenticated caller learns nothing
   from validation errors about a body it was never allowed to send;
3. a body larger than the limit is refused (413), from ``Content-Length`` or
   while reading a chunked body, without buffering more than the limit;
4. a JSON body nested deeper than the limit is refused (422), counted by a
   scan of the brackets outside strings, so the parser never recurses deeply.

The verified principal is left on the request state, where
:func:`chassis.http.auth.authenticate` finds it instead of verifying again.
Every response gets ``Cache-Control: no-store`` (unless the route chose
otherwise), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
no-referrer`` and framing refused (``X-Frame-Options`` and CSP
``frame-ancestors``): responses carry client data, which no cache or frame
should keep.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import APIRouter, FastAPI
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chassis.http.auth import authenticate
from chassis.http.docs import DOCS_PATH
from chassis.http.problems import (
    HEADERS_TOO_LARGE,
    REQUEST_TOO_LARGE,
    REQUEST_TOO_NESTED,
    ProblemException,
    render_problem,
)
from chassis.http.settings import RequestLimits
from chassis.web.paths import is_browser_path

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"cache-control", b"no-store"),
)
"""Added to every response that does not set the header itself."""

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


class BodyTooLarge(Exception):
    """The request body exceeds the configured limit."""


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether the JSON text nests arrays/objects deeper than ``limit`` (strings ignored)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub(b"", body)):
        if bracket in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class RequestGuardMiddleware:
    """Authenticate, bound and vet a request before routing; add security headers."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        is_public: Callable[[str], bool],
        limits: RequestLimits | None = None,
    ) -> None:
        self.app = app
        self.is_public = is_public
        self.limits = limits or RequestLimits()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse the request as a problem, or pass it on with its body replayed."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_security_headers(send)
        request = Request(scope, receive)
        try:
            self._check_headers(scope)
            if not self.is_public(scope["path"]):
                await authenticate(request)
            receive = await self._vetted_body(scope, receive)
        except ProblemException as problem:
            await render_problem(request, problem)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check_headers(self, scope: Scope) -> None:
        limit = self.limits.max_header_bytes
        for name, value in scope.get("headers", ()):
            if len(value) > limit:
                raise ProblemException(
                    HEADERS_TOO_LARGE,
                    f"The {name.decode('latin-1')} header is longer than {limit} bytes.",
                )

    async def _vetted_body(self, scope: Scope, receive: Receive) -> Receive:
        """Read the body (within the limit), vet it, and return a receive that replays it."""
        headers = dict(scope.get("headers", ()))
        if b"content-length" not in headers and b"transfer-encoding" not in headers:
            return receive
        limit = self.limits.max_body_bytes
        declared = headers.get(b"content-length", b"").strip()
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return _replay(b"".join(chunks), receive, first=message)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        content_type = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
        is_json = content_type == b"application/json" or content_type.endswith(b"+json")
        if is_json and json_depth_exceeds(body, self.limits.max_json_depth):
            raise ProblemException(
                REQUEST_TOO_NESTED,
                f"JSON bodies may nest at most {self.limits.max_json_depth} levels deep.",
            )
        return _replay(body, receive)


def _too_large(limit: int) -> ProblemException:
    return ProblemException(REQUEST_TOO_LARGE, f"Request bodies are limited to {limit} bytes.")


def _replay(body: bytes, receive: Receive, *, first: Message | None = None) -> Receive:
    """A receive that yields the buffered body once, then defers to the server's."""
    pending: list[Message] = [first] if first is not None else []
    if first is None:
        pending.append({"type": "http.request", "body": body, "more_body": False})

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _with_security_headers(send: Send) -> Send:
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", ()))
            present = {name.lower() for name, _ in headers}
            headers.extend(item for item in SECURITY_HEADERS if item[0] not in present)
            message = {**message, "headers": headers}
        await send(message)

    return send_with_headers


def public_paths(app: FastAPI, *routers: APIRouter) -> Callable[[str], bool]:
    """Which paths need no token: ``routers``' routes, the API documentation and browser pages.

    Browser pages are those registered with :func:`chassis.web.paths.register_browser_paths`
    (read at request time, so pages added after the app was built count too).
    """
    exact = {route.path for router in routers for route in router.routes if hasattr(route, "path")}
    documentation = (app.openapi_url, app.docs_url, app.redoc_url, DOCS_PATH)
    exact.update(path for path in documentation if path)
    prefixes = (f"{DOCS_PATH}/",)

    def is_public(path: str) -> bool:
        # Browser pages (sign-in, dashboard, assets) read their own session cookie.
        return path in exact or path.startswith(prefixes) or is_browser_path(app, path)

    return is_public
