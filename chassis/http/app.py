"""The app factory every service's HTTP entrypoint uses.

``create_service_app`` wires, in one place: bearer authentication on every
service route (health and metrics excepted), problem+json errors, idempotent
commands, health and readiness, Prometheus metrics, correlation ids and the
OpenAPI document. It creates nothing at import time and keeps all state on
the app it returns, so tests can build as many apps as they like.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from chassis.http.auth import current_principal
from chassis.http.correlation import CorrelationIdMiddleware
from chassis.http.docs import install_local_docs
from chassis.http.error_boundary import UnhandledErrorMiddleware
from chassis.http.health import ReadinessCheck, operations_router
from chassis.http.idempotency_route import IdempotentRoute, is_command
from chassis.http.idempotency_store import IdempotencyStore
from chassis.http.list_scope import refuse_repeated_query_parameters
from chassis.http.metrics import HttpMetricsMiddleware, ServiceMetrics
from chassis.http.openapi import service_openapi
from chassis.http.problem_handlers import DomainErrors, install_problem_handlers
from chassis.http.request_guard import RequestGuardMiddleware, public_paths
from chassis.http.settings import AuthSettings, RequestLimits
from chassis.http.tokens import TokenVerifier, token_verifier_from_settings
from chassis.logging import get_logger
from chassis.settings import ServiceSettings

log = get_logger(__name__)


def create_service_app(
    *,
    title: str,
    version: str,
    settings: ServiceSettings,
    auth: AuthSettings | TokenVerifier,
    routers: Sequence[APIRouter] = (),
    idempotency: IdempotencyStore | None = None,
    readiness_checks: Mapping[str, ReadinessCheck] | None = None,
    domain_errors: DomainErrors | None = None,
    metrics: ServiceMetrics | None = None,
    description: str = "",
    lifespan: Any = None,
    readiness_timeout_s: float = 2.0,
    request_limits: RequestLimits | None = None,
) -> FastAPI:
    """A FastAPI app for one service with the shared HTTP layer wired in.

    Every route of ``routers`` requires a valid bearer token. Command routes
    (POST/PUT/PATCH/DELETE) must come from routers built with
    ``route_class=IdempotentRoute`` and need ``idempotency``; the factory
    refuses otherwise, so no command escapes the Idempotency-Key protocol.
    ``readiness_checks`` is read on every ``/health/ready`` request, so a
    lifespan may add checks (its consumers) to the mapping it passed.
    """
    verifier = auth if isinstance(auth, TokenVerifier) else token_verifier_from_settings(auth)
    if isinstance(auth, AuthSettings) and auth.mode == "dev":
        log.warning(
            "development authentication: HS256 tokens, not for production",
            service=settings.service_name,
            public_dev_secret=auth.uses_public_dev_secret,
        )
    metrics = metrics or ServiceMetrics()
    app = FastAPI(
        title=title,
        version=version,
        description=description,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    install_local_docs(app)
    app.state.service_name = settings.service_name
    app.state.token_verifier = verifier
    app.state.idempotency_store = idempotency
    app.state.metrics = metrics
    install_problem_handlers(app, domain_errors)
    operations = operations_router(
        checks=readiness_checks if readiness_checks is not None else {},
        metrics=metrics,
        timeout_s=readiness_timeout_s,
    )
    app.include_router(operations)
    for router in routers:
        app.include_router(
            router,
            dependencies=[Depends(current_principal), Depends(refuse_repeated_query_parameters)],
        )
    _refuse_unprotected_commands(app, idempotency)
    # Added innermost first: the request guard (auth, limits, security headers),
    # metrics, the 500 boundary, then the correlation id.
    app.add_middleware(
        RequestGuardMiddleware, is_public=public_paths(app, operations), limits=request_limits
    )
    app.add_middleware(HttpMetricsMiddleware, metrics=metrics)
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(CorrelationIdMiddleware)
    app.openapi = lambda: service_openapi(app)  # type: ignore[method-assign]
    return app


def _refuse_unprotected_commands(app: FastAPI, idempotency: IdempotencyStore | None) -> None:
    commands = [
        context
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute) and is_command(context.methods)
    ]
    for context in commands:
        if not isinstance(context.original_route, IdempotentRoute):
            raise TypeError(
                f"{sorted(context.methods or ())} {context.path}: command routes must come "
                "from APIRouter(route_class=IdempotentRoute)"
            )
    if commands and idempotency is None:
        raise ValueError(
            "command routes need create_service_app(idempotency=IdempotencyStore(...))"
        )
