"""Services as child processes: ``python -m eocms serve NAME``, one per service.

What the end-to-end tests, the chaos test and the benchmarks start: each
service in its own process, as in production (one container per service), on
a free loopback port, its output in a log file. A process can be stopped
(SIGTERM, then SIGKILL after a grace period), killed outright (SIGKILL) and
restarted on the same port with the same environment.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from chassis.broker.local import free_loopback_port
from chassis.devmode import DEV_MODE_VARIABLE

PROJECT_ROOT = Path(__file__).resolve().parents[1]
READY_DEADLINE_S = 90.0
"""How long a service may take to answer 200 on ``/health/ready``."""
STOP_GRACE_S = 15.0
"""How long a SIGTERMed service may take to exit before it is killed."""


class ServiceFailed(RuntimeError):
    """A service process exited or did not become ready."""


def service_environment(
    name: str,
    *,
    database_url: str,
    bootstrap_servers: str | None,
    local_broker: bool,
    data_dir: Path,
    base: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of one service process: its database, the broker, JSON logs.

    ``base`` defaults to this process' environment, without any
    ``KAFKA_BOOTSTRAP_SERVERS`` of its own. Without ``bootstrap_servers`` the
    service serves its database and consumes nothing.
    """
    prefix = name.upper()
    env = dict(os.environ if base is None else base)
    env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
    env.update(
        {
            f"{prefix}_DATABASE_URL": database_url,
            f"{prefix}_DATA_DIR": str(data_dir),
            f"{prefix}_LOG_FORMAT": "json",
            "PYTHONUNBUFFERED": "1",
            # These processes (tests, benchmarks) run on the public development
            # secrets: development mode, explicitly.
            DEV_MODE_VARIABLE: "1",
        }
    )
    if bootstrap_servers:
        env["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap_servers
        if local_broker:
            # `eocms serve` cannot tell the broker is the local one, which rejects
            # idempotent producers: this variable is the switch.
            env["KAFKA_ENABLE_IDEMPOTENCE"] = "false"
    env.update(extra or {})
    return env


@dataclass
class ServiceProcess:
    """One ``eocms serve`` process, restartable on the same port."""

    name: str
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] = field(init=False)
    starts: int = 0

    @property
    def base_url(self) -> str:
        """Where the service answers HTTP."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServiceProcess:
        """Start (or start again) ``eocms serve NAME`` on this port; output appended to the log."""
        self.starts += 1
        with self.log_path.open("ab") as log_file:
            log_file.write(f"--- start {self.starts} of {self.name} ---\n".encode())
            log_file.flush()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "eocms", "serve", self.name, "--host", "127.0.0.1",
                 "--port", str(self.port)],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        return self

    @property
    def running(self) -> bool:
        """Whether the process has not exited."""
        return self.process.poll() is None

    def output(self, limit: int = 6000) -> str:
        """The tail of the process' combined stdout and stderr (every start of it)."""
        try:
            return self.log_path.read_text(errors="replace")[-limit:]
        except OSError:
            return "<no output>"

    async def wait_ready(self, deadline_s: float = READY_DEADLINE_S) -> float:
        """Poll ``/health/ready`` until it answers 200; the seconds it took.

        Raises :class:`ServiceFailed` with the output tail if the process exits
        or the deadline passes first.
        """
        started = time.monotonic()
        last = "no answer yet"
        async with httpx.AsyncClient(base_url=self.base_url, timeout=5.0) as http:
            while True:
                if not self.running:
                    raise ServiceFailed(
                        f"{self.name} exited with {self.process.returncode} before it was "
                        f"ready:\n{self.output()}"
                    )
                try:
                    answer = await http.get("/health/ready")
                    if answer.status_code == 200:
                        return time.monotonic() - started
                    last = f"{answer.status_code} {answer.text[:300]}"
                except httpx.TransportError as error:
                    last = repr(error)
                if time.monotonic() - started > deadline_s:
                    raise ServiceFailed(
                        f"{self.name} not ready within {deadline_s}s ({last}):\n{self.output()}"
                    )
                await asyncio.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as when a node dies."""
        if self.running:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(STOP_GRACE_S)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if the process outlives the grace period."""
        if not self.running:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_GRACE_S)


def start_service_process(
    name: str, env: Mapping[str, str], log_dir: Path, port: int | None = None
) -> ServiceProcess:
    """Start ``eocms serve NAME`` on ``port`` (default: a free loopback port)."""
    service = ServiceProcess(
        name=name,
        port=port or free_loopback_port(),
        env=dict(env),
        log_path=log_dir / f"{name}.log",
    )
    return service.start()
