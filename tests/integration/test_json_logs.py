"""Every line a running service logs, off a terminal, is JSON with its service name.

Reporting runs as ``python -m eocms serve reporting`` (as the manifests run it)
on the session's broker with its output going to a file, so uvicorn (startup
and access lines), Alembic (migrations), FastStream and aiokafka (the
projection's consumer joining its group) all log. The request's correlation id
must be on uvicorn's access line for that request, and no colour codes appear.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from chassis.broker.local import free_loopback_port
from tests.support.kafka import KafkaUnderTest

pytestmark = [pytest.mark.kafka, pytest.mark.slow, pytest.mark.asyncio]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
READY_GUARD_S = 90.0
STOP_GUARD_S = 20.0


async def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    """Until /health/ready answers 200 (the projection's consumer has joined)."""
    async with httpx.AsyncClient(timeout=2.0) as client:
        async with asyncio.timeout(READY_GUARD_S):
            while True:
                assert process.poll() is None, "reporting exited while starting"
                try:
                    if (await client.get(f"{url}/health/ready")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)


async def test_every_line_of_a_running_service_is_json_with_service_and_correlation_id(
    kafka: KafkaUnderTest, tmp_path: Path
) -> None:
    port = free_loopback_port()
    url = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if not key.endswith("_LOG_FORMAT")} | {
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "KAFKA_ENABLE_IDEMPOTENCE": "false" if kafka.local else "true",
        "REPORTING_FACTS_GROUP": kafka.unique("reporting.facts"),
        "REPORTING_DATA_DIR": str(tmp_path / "data"),
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / "reporting.log"
    command = [sys.executable, "-m", "eocms", "serve", "reporting", "--host", "127.0.0.1"]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: ASYNC220  (started once; never waited on blocking)
            [*command, "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    correlation_id = str(uuid.uuid4())
    try:
        await wait_ready(url, process)
        async with httpx.AsyncClient(timeout=5.0) as client:
            await client.get(f"{url}/sqs", headers={"X-Correlation-ID": correlation_id})
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.to_thread(process.wait, STOP_GUARD_S)

    text = log_path.read_text(encoding="utf-8")
    assert "\x1b[" not in text, "colour codes in a log file"
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert all(line.get("service") == "reporting" for line in lines), [
        line for line in lines if line.get("service") != "reporting"
    ]
    loggers = {str(line.get("logger", "")).split(".")[0] for line in lines}
    assert {"uvicorn", "alembic", "aiokafka", "faststream"} <= loggers, loggers
    access = [line for line in lines if line.get("logger") == "uvicorn.access"]
    ours = [line for line in access if line.get("path", "").startswith("/sqs")]
    assert len(ours) == 1, access
    assert ours[0]["correlation_id"] == correlation_id
    assert ours[0]["status"] == 401


@pytest.mark.postgres
async def test_a_service_that_cannot_start_logs_one_json_line_with_the_reason(
    tmp_path: Path,
) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KAFKA_")} | {
        "INTAKE_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/eocms_no_such_db",
        "INTAKE_LOG_FORMAT": "json",
    }
    command = [sys.executable, "-m", "eocms", "serve", "intake", "--host", "127.0.0.1"]

    completed = await asyncio.to_thread(
        subprocess.run,
        [*command, "--port", str(free_loopback_port())],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=STOP_GUARD_S * 3,
    )

    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    lines = [json.loads(line) for line in completed.stderr.splitlines() if line.strip()]
    assert lines[-1]["event"] == "service_cannot_start"
    assert lines[-1]["service"] == "intake"
    assert lines[-1]["reason"] == 'database: database "eocms_no_such_db" does not exist'
