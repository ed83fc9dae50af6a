"""Liveness, readiness and the metrics endpoint (no token needed for any of them).

``/health/live`` answers 200 while the process serves requests. ``/health/ready``
runs the service's readiness checks (:mod:`chassis.readiness`) concurrently,
each under a timeout, and names every check's state in ``checks``:

- 200 ``{"status": "ready"}`` when none failed (a consumer still ``starting``
  counts as passing: commands and queries need no consumer);
- 200 ``{"status": "degraded"}`` when one is ``degraded`` (it works, with a
  reason to look at);
- otherwise a 503 problem: the failed ones read ``failed (<ExceptionClass>)``
  (details go to the log, never to the response).

:func:`broker_answers` asks the broker for its metadata with a short timeout,
so a broker that accepts connections but does not answer (a stopped or
overloaded process) shows as failed. ``/metrics`` is the app's Prometheus
exposition, meant for the scraper on the cluster network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from aiokafka.client import AIOKafkaClient
from aiokafka.errors import KafkaError
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.security import KafkaSecurity, security_options
from chassis.http.metrics import ServiceMetrics
from chassis.http.problems import NOT_READY, problem_response
from chassis.logging import get_logger
from chassis.readiness import OK, CheckResult, CheckStatus, ReadinessCheck, worst

log = get_logger(__name__)

BROKER_TIMEOUT_S = 1.5
"""How long the broker has to answer a metadata request before it counts as failed."""

__all__ = [
    "BROKER_TIMEOUT_S",
    "ReadinessCheck",
    "broker_answers",
    "database_ready",
    "operations_router",
    "run_checks",
]


def database_ready(engine: AsyncEngine) -> ReadinessCheck:
    """A check that the database answers ``SELECT 1``."""

    async def database() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    return database


def broker_answers(
    bootstrap_servers: str,
    *,
    security: KafkaSecurity | None = None,
    timeout_s: float = BROKER_TIMEOUT_S,
) -> ReadinessCheck:
    """A check that a bootstrap server answers a Kafka metadata request within ``timeout_s``.

    A fresh client each time, connecting as the services' clients do
    (``security``: TLS and SASL when configured), so an untrusted certificate,
    refused credentials, a closed port and a process that accepts connections
    but never answers (``SIGSTOP``, overload) all fail: the last one with
    ``TimeoutError``, the others with ``ConnectionError``.
    """

    async def broker() -> None:
        client = AIOKafkaClient(
            bootstrap_servers=bootstrap_servers,
            client_id="eocms-readiness",
            # Longer than the overall timeout: a broker that does not answer always
            # ends as TimeoutError, not as whichever of two timers fires first.
            request_timeout_ms=int((timeout_s + 1) * 1000),
            **security_options(security),
        )
        try:
            await asyncio.wait_for(client.bootstrap(), timeout_s)
        except KafkaError as error:
            raise ConnectionError(
                f"no bootstrap server answered a metadata request: {error!r}"
            ) from error
        finally:
            await client.close()

    return broker


async def run_checks(
    checks: Mapping[str, ReadinessCheck], timeout_s: float
) -> dict[str, CheckResult]:
    """Each check's result: what it returned, ``ok`` for ``None``, ``failed`` when it raised."""

    async def outcome(name: str, check: ReadinessCheck) -> CheckResult:
        try:
            result = await asyncio.wait_for(check(), timeout_s)
        except Exception as error:
            log.warning("readiness check failed", check=name, error=repr(error))
            return CheckResult(CheckStatus.FAILED, type(error).__name__)
        return result if isinstance(result, CheckResult) else OK

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
        summary="Readiness: database, broker and each consumer",
        description="200 with status `ready` or `degraded` and each check's state "
        "(`ok`, `joined`, `starting`, `degraded (reason)`); 503 problem+json when one failed.",
        responses={503: {"description": "A readiness check failed (problem+json)."}},
    )
    async def ready(request: Request) -> Response:
        results = await run_checks(dict(checks), timeout_s)
        shown = {name: str(result) for name, result in results.items()}
        failed = sorted(n for n, r in results.items() if r.status is CheckStatus.FAILED)
        if failed:
            return problem_response(
                request,
                type_uri=NOT_READY.uri,
                title=NOT_READY.title,
                status=NOT_READY.status,
                detail=f"Failed readiness checks: {', '.join(failed)}.",
                extensions={"checks": shown},
            )
        overall = worst(list(results.values())).status
        status = "degraded" if overall is CheckStatus.DEGRADED else "ready"
        return JSONResponse({"status": status, "checks": shown})

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        return Response(content=await metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return router
