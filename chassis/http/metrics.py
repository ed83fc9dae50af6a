"""Prometheus metrics per app: HTTP traffic, plus gauges services register.

Each app owns a :class:`ServiceMetrics` with its own ``CollectorRegistry`` (not
the process-wide default), so a process, or a test session, can build several
apps. Requests are counted by method, route template and status, and timed by
method and route template; unmatched paths share one label so that scanners
cannot blow up the label space.

Services add their own gauges and counters with :meth:`ServiceMetrics.gauge`
and :meth:`ServiceMetrics.counter`, and either set them where the value is
known or register a sampler with :meth:`ServiceMetrics.on_scrape` that
refreshes them (e.g. counts the outbox) each time ``/metrics`` is read.

The chassis's own operational metrics (consumer and projection lag, outbox
backlog, dead letters) are registered by :mod:`chassis.lifecycle` when a
service starts its relay or projections. The starters find the app's metrics
without the service passing them: :class:`HttpMetricsMiddleware` makes the
app's :class:`ServiceMetrics` current (a context variable) while the app's
lifespan runs, and :func:`current_service_metrics` reads it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from typing import Any, TypeVar

from fastapi.routing import iter_route_contexts
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chassis.logging import get_logger

log = get_logger(__name__)

UNMATCHED_ROUTE = "<unmatched>"
Sampler = Callable[[], Awaitable[None]]
Instrument = TypeVar("Instrument", Gauge, Counter)

_current_metrics: ContextVar[ServiceMetrics | None] = ContextVar(
    "eocms_current_service_metrics", default=None
)


def current_service_metrics() -> ServiceMetrics | None:
    """The metrics of the app whose lifespan is running in this context, if any."""
    return _current_metrics.get()


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
        self._instruments: dict[str, Gauge | Counter] = {}

    def gauge(self, name: str, documentation: str, labelnames: Sequence[str] = ()) -> Gauge:
        """The gauge ``name`` of this app's registry, created on first use."""
        return self._instrument(Gauge, name, documentation, labelnames)

    def counter(self, name: str, documentation: str, labelnames: Sequence[str] = ()) -> Counter:
        """The counter ``name`` of this app's registry, created on first use.

        Prometheus exposes it with a ``_total`` suffix (``name`` may already end so).
        """
        return self._instrument(Counter, name, documentation, labelnames)

    def _instrument(
        self,
        kind: type[Instrument],
        name: str,
        documentation: str,
        labelnames: Sequence[str],
    ) -> Instrument:
        # Several projections of one service share a metric family: one registration.
        existing = self._instruments.get(name)
        if existing is None:
            created = kind(name, documentation, list(labelnames), registry=self.registry)
            self._instruments[name] = created
            return created
        if not isinstance(existing, kind) or tuple(existing._labelnames) != tuple(labelnames):
            raise ValueError(f"metric {name!r} is already registered with another shape")
        return existing

    def on_scrape(self, sampler: Sampler) -> Callable[[], None]:
        """Run ``sampler`` before each exposition (failures are logged, not raised).

        Returns a callback that unregisters it (for what stops before the app does).
        """
        self._samplers.append(sampler)

        def unregister() -> None:
            if sampler in self._samplers:
                self._samplers.remove(sampler)

        return unregister

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
        if scope["type"] == "lifespan":
            # What the lifespan starts (relay, projections) registers its metrics here.
            token = _current_metrics.set(self.metrics)
            try:
                await self.app(scope, receive, send)
            finally:
                _current_metrics.reset(token)
            return
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
