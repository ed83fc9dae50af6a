"""Prometheus metrics per app: HTTP traffic, plus gauges services register.

Each app owns a :class:`ServiceMetrics` with its own ``CollectorRegistry`` (not
the process-wide default), so a process, or a test session, can build several
apps. Requests are counted by method, route template and status, and timed by
method and route template; unmatched paths share one label so that scanners
cannot blow up the label space.

Services add their own gauges (consumer lag, projection lag, outbox backlog)
with :meth:`ServiceMetrics.gauge`, and either set them where the value is known
or register a sampler with :meth:`ServiceMetrics.on_scrape` that refreshes
them (e.g. counts the outbox) each time ``/metrics`` is read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi.routing import iter_route_contexts
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chassis.logging import get_logger

log = get_logger(__name__)

UNMATCHED_ROUTE = "<unmatched>"
Sampler = Callable[[], Awaitable[None]]


class ServiceMetrics:
    """One app's metrics registry, HTTP instruments and scrape-time samplers."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.requests = Counter(
            "http_requests",
            "HTTP requests handled, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "route"],
            registry=self.registry,
        )
        self._samplers: list[Sampler] = []
        self._templates: dict[int, str] = {}

    def gauge(self, name: str, documentation: str, labelnames: Sequence[str] = ()) -> Gauge:
        """A gauge registered in this app's registry."""
        return Gauge(name, documentation, list(labelnames), registry=self.registry)

    def on_scrape(self, sampler: Sampler) -> None:
        """Run ``sampler`` before each exposition (failures are logged, not raised)."""
        self._samplers.append(sampler)

    async def exposition(self, timeout_s: float = 2.0) -> bytes:
        """Refresh sampled gauges, then render the registry in the text format."""
        for sampler in self._samplers:
            try:
                await asyncio.wait_for(sampler(), timeout_s)
            except Exception as error:
                name = getattr(sampler, "__name__", "?")
                log.warning("metrics sampler failed", sampler=name, error=repr(error))
        return generate_latest(self.registry)

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        """Count and time one finished request."""
        method = scope.get("method", "?")
        route = self.route_template(scope)
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def route_template(self, scope: Scope) -> str:
        """The matched route's full path template (with router prefixes)."""
        route = scope.get("route")
        if route is None:
            return UNMATCHED_ROUTE
        template = self._templates.get(id(route))
        if template is None:
            self._templates = _templates_of(scope.get("app"))
            template = self._templates.setdefault(
                id(route), getattr(route, "path_format", UNMATCHED_ROUTE)
            )
        return template


class HttpMetricsMiddleware:
    """Observe every HTTP request into a :class:`ServiceMetrics`."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app, timing it and noting the status it answered."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            self.metrics.observe(scope, status, time.perf_counter() - started)


def _templates_of(app: Any) -> dict[int, str]:
    # Included routers keep their routes unprefixed; the route contexts know the full path.
    routes = getattr(app, "routes", None) or []
    return {
        id(context.original_route): context.path_format
        for context in iter_route_contexts(routes)
        if context.path_format
    }
