"""Liveness, readiness and the metrics endpoint (no token needed for any of them).

``/health/live`` answers 200 while the process serves requests. ``/health/ready``
runs the service's readiness checks concurrently, each under a timeout: 200 when
all pass, otherwise a 503 problem whose ``checks`` names the failed ones (with
the exception class only; details go to the log). A check may instead return a
text starting with ``degraded`` (e.g. events parked too long, see
:mod:`chassis.consumer.parked_health`): the answer stays 200, with status
``degraded`` and that text under the check's name. ``/metrics`` is the app's
Prometheus exposition, meant for the scraper on the cluster network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.security import KafkaSecurity
from chassis.http.metrics import ServiceMetrics
from chassis.http.problems import NOT_READY, problem_response
from chassis.logging import get_logger

log = get_logger(__name__)

ReadinessCheck = Callable[[], Awaitable[object]]
"""An async check that returns when a dependency is usable and raises otherwise.

Returning a text that starts with ``degraded`` reports a usable but impaired dependency.
"""
DEGRADED = "degraded"


def database_ready(engine: AsyncEngine) -> ReadinessCheck:
    """A check that the database answers ``SELECT 1``."""

    async def database() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    return database


def broker_reachable(
    bootstrap_servers: str, *, security: KafkaSecurity | None = None
) -> ReadinessCheck:
    """A check that at least one bootstrap server accepts a connection.

    A TCP connection; with TLS (``security`` SSL or SASL_SSL) a completed TLS
    handshake too, so an untrusted or expired broker certificate shows as not
    ready. SASL is not attempted: the producers and consumers report that.
    """
    tls = security.tls if security is not None else None

    async def broker() -> None:
        errors: list[OSError] = []
        ssl_context = tls.ssl_context() if tls is not None else None
        for server in bootstrap_servers.split(","):
            host, _, port = server.strip().rpartition(":")
            try:
                _reader, writer = await asyncio.open_connection(
                    host.strip("[]"), int(port), ssl=ssl_context
                )
            except OSError as error:
                errors.append(error)
                continue
            writer.close()
            await writer.wait_closed()
            return
        raise ConnectionError(f"no bootstrap server reachable: {errors}")

    return broker


async def run_checks(checks: Mapping[str, ReadinessCheck], timeout_s: float) -> dict[str, str]:
    """Each check's outcome: ``ok`` or ``failed (<ExceptionClass>)``."""

    async def outcome(name: str, check: ReadinessCheck) -> str:
        try:
            result = await asyncio.wait_for(check(), timeout_s)
        except Exception as error:
            log.warning("readiness check failed", check=name, error=repr(error))
            return f"failed ({type(error).__name__})"
        if isinstance(result, str) and result.startswith(DEGRADED):
            log.warning("readiness check degraded", check=name, detail=result)
            return result
        return "ok"

    names = list(checks)
    results = await asyncio.gather(*(outcome(name, checks[name]) for name in names))
    return dict(zip(names, results, strict=True))


def operations_router(
    *, checks: Mapping[str, ReadinessCheck], metrics: ServiceMetrics, timeout_s: float = 2.0
) -> APIRouter:
    """Health and metrics endpoints for one app."""
    router = APIRouter(tags=["operations"])

    @router.get("/health/live", summary="Liveness: the process serves requests")
    async def live() -> dict[str, str]:
        return {"status": "live"}

    @router.get(
        "/health/ready",
        summary="Readiness: every dependency answers",
        responses={503: {"description": "A readiness check failed (problem+json)."}},
    )
    async def ready(request: Request) -> Response:
        results = await run_checks(checks, timeout_s)
        degraded = any(result.startswith(DEGRADED) for result in results.values())
        failed = sorted(
            name
            for name, result in results.items()
            if result != "ok" and not result.startswith(DEGRADED)
        )
        if failed:
            return problem_response(
                request,
                type_uri=NOT_READY.uri,
                title=NOT_READY.title,
                status=NOT_READY.status,
                detail=f"Failed readiness checks: {', '.join(failed)}.",
                extensions={"checks": results},
            )
        return JSONResponse({"status": DEGRADED if degraded else "ready", "checks": results})

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        return Response(content=await metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return router
