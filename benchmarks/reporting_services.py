"""Services as the benchmarks run them: ``python -m eocms serve NAME`` processes over HTTP.

Each service runs in its own process, as in production (one container per
service), on its own PostgreSQL database and the run's broker, so the load
generator of the benchmark does not compete with the servers for one
interpreter. Output goes to a log file the run keeps in a temporary directory
and shows when a service fails to come up. The processes are started by
:mod:`eocms.service_processes`, as the end-to-end tests start them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from chassis.http import AuthSettings, mint_dev_token
from eocms.service_processes import (
    ServiceFailed,
    ServiceProcess,
    service_environment,
    start_service_process,
)

__all__ = ["ServiceFailed", "ServiceProcess", "bearer", "start_service"]


def start_service(
    name: str,
    *,
    database_url: str,
    bootstrap_servers: str | None,
    log_dir: Path,
    extra_env: dict[str, str] | None = None,
) -> ServiceProcess:
    """Start ``eocms serve NAME`` on a free loopback port with its own database.

    Without ``bootstrap_servers`` the service serves its database and consumes
    nothing. The broker is the run's local one (no idempotent producers).
    """
    env = service_environment(
        name,
        database_url=database_url,
        bootstrap_servers=bootstrap_servers,
        local_broker=True,
        data_dir=log_dir / f"{name}-data",
        extra={f"{name.upper()}_LOG_LEVEL": "WARNING", **(extra_env or {})},
    )
    return start_service_process(name, env, log_dir)


def bearer(role: str, site_ids: Iterable[str] = ()) -> dict[str, str]:
    """An ``Authorization`` header with a development token for ``role``."""
    token = mint_dev_token(
        AuthSettings(),
        subject=f"bench-{role}",
        roles=[role],
        site_ids=list(site_ids),
        ttl_s=6 * 3600,
    )
    return {"Authorization": f"Bearer {token}"}
