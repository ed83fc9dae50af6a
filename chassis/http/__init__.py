"""The HTTP layer every service's FastAPI app shares.

A service builds its app in its composition root::

    app = create_service_app(
        title="Caseload", version="1.0", settings=settings, auth=AuthSettings(),
        routers=[plans.router], idempotency=IdempotencyStore(engine),
        readiness_checks={"database": database_ready(engine)},
        domain_errors={PlanClosed: 409, UnknownClient: 404},
    )

and declares access per route with :data:`CurrentPrincipal`,
:func:`require_roles`, :data:`ClientLevelPrincipal` and
:func:`require_site_access`; command routers use ``IdempotentRoute``.
"""

from chassis.http.app import create_service_app
from chassis.http.auth import (
    ClientLevelPrincipal,
    CurrentPrincipal,
    current_principal,
    require_client_level_access,
    require_roles,
)
from chassis.http.correlation import CorrelationId
from chassis.http.dev_tokens import DevTokensDisabled, mint_dev_token
from chassis.http.health import ReadinessCheck, broker_answers, database_ready
from chassis.http.idempotency_route import IdempotencyKey, IdempotentRoute
from chassis.http.idempotency_store import IdempotencyStore, id_for_idempotency_key
from chassis.http.keys import KeySource, SharedSecret, StaticJwks
from chassis.http.metrics import ServiceMetrics
from chassis.http.principal import Principal, Role
from chassis.http.problem_handlers import install_problem_handlers
from chassis.http.problems import ProblemException, ProblemType
from chassis.http.settings import AuthSettings
from chassis.http.site_access import ResourceNotFound, require_site_access
from chassis.http.tokens import InvalidToken, TokenVerifier, token_verifier_from_settings

__all__ = [
    "AuthSettings",
    "ClientLevelPrincipal",
    "CorrelationId",
    "CurrentPrincipal",
    "DevTokensDisabled",
    "IdempotencyKey",
    "IdempotencyStore",
    "IdempotentRoute",
    "InvalidToken",
    "KeySource",
    "Principal",
    "ProblemException",
    "ProblemType",
    "ReadinessCheck",
    "ResourceNotFound",
    "Role",
    "ServiceMetrics",
    "SharedSecret",
    "StaticJwks",
    "TokenVerifier",
    "broker_answers",
    "create_service_app",
    "current_principal",
    "database_ready",
    "id_for_idempotency_key",
    "install_problem_handlers",
    "mint_dev_token",
    "require_client_level_access",
    "require_roles",
    "require_site_access",
    "token_verifier_from_settings",
]
