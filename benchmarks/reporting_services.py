"""Services as the benchmarks run them: ``python -m eocms serve NAME`` processes over HTTP.

Each service runs in its own process, as in production (one container per
service), on its own PostgreSQL database and the run's broker, so the load
generator of the benchmark does not compete with the servers for one
interpreter. Output goes to a log file the run keeps in a temporary directory
and shows when a service fails to come up.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import httpx

from chassis.broker.local import free_loopback_port
from chassis.http import AuthSettings, mint_dev_token

PROJECT_ROOT = Path(__file__).resolve().parents[1]
READY_DEADLINE_S = 90.0
STOP_GRACE_S = 15.0


class ServiceFailed(RuntimeError):
    """A service process exited or did not become ready."""


@dataclass
class ServiceProcess:
    """One ``eocms serve`` process."""

    name: str
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def output(self, limit: int = 4000) -> str:
        """The tail of the process output."""
        try:
            return self.log_path.read_text(errors="replace")[-limit:]
        except OSError:
            return "<no output>"

    async def wait_ready(self) -> None:
        """Poll ``/health/ready`` until it answers 200."""
        deadline = time.monotonic() + READY_DEADLINE_S
        last = "no answer"
        async with httpx.AsyncClient(base_url=self.base_url, timeout=5.0) as http:
            while True:
                if self.process.poll() is not None:
                    raise ServiceFailed(
                        f"{self.name} exited with {self.process.returncode}:\n{self.output()}"
                    )
                try:
                    answer = await http.get("/health/ready")
                    if answer.status_code == 200:
                        return
                    last = f"{answer.status_code} {answer.text[:200]}"
                except httpx.TransportError as error:
                    last = repr(error)
                if time.monotonic() > deadline:
                    raise ServiceFailed(f"{self.name} not ready ({last}):\n{self.output()}")
                await asyncio.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after the grace period."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_GRACE_S)


def start_service(
    name: str,
    *,
    database_url: str,
    bootstrap_servers: str | None,
    log_dir: Path,
    extra_env: dict[str, str] | None = None,
) -> ServiceProcess:
    """Start ``eocms serve NAME`` on a free loopback port with its own database.

    Without ``bootstrap_servers`` the service serves its database and consumes nothing.
    """
    prefix = name.upper()
    env = dict(os.environ)
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    # Benchmarks run on the public development secrets: development mode, explicitly.
    env["EOCMS_DEV_MODE"] = "1"
    env.update(
        {
            f"{prefix}_DATABASE_URL": database_url,
            f"{prefix}_DATA_DIR": str(log_dir / f"{name}-data"),
            f"{prefix}_LOG_FORMAT": "json",
            f"{prefix}_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if bootstrap_servers:
        # The local broker rejects idempotent producers; `eocms serve` cannot tell it is local.
        env.update(
            {"KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers, "KAFKA_ENABLE_IDEMPOTENCE": "false"}
        )
    env.update(extra_env or {})
    port = free_loopback_port()
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "eocms",
                "serve",
                name,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    return ServiceProcess(name, f"http://127.0.0.1:{port}", process, log_path)


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
