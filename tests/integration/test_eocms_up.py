"""``eocms up`` as an operator runs it: four URLs, every service serving, Ctrl-C stops it.

The command runs as a process on four free consecutive ports with its own
data directory and its own local broker. Ctrl-C (SIGINT) is sent once all four
answer, and again to a second run while it is still starting; both must exit
cleanly. A configuration refused at startup stops it with the service's name.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from eocms.ports import bind_problem

pytestmark = [pytest.mark.kafka, pytest.mark.slow, pytest.mark.asyncio]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "caseload", "programs", "reporting")
READY_GUARD_S = 120.0
STOP_GUARD_S = 20.0
"""Hang guards only: Ctrl-C normally ends ``up`` in about two seconds."""


def free_port_base() -> int:
    """The first of four consecutive free loopback ports."""
    for base in range(20_000, 60_000, 97):
        if all(bind_problem("127.0.0.1", base + i) is None for i in range(len(SERVICES))):
            return base
    raise AssertionError("no four consecutive free ports")


def start_up(tmp_path: Path, base: int, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "eocms", "up", "--port-base", str(base)],
        cwd=PROJECT_ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("KAFKA_")},
            **{f"{name.upper()}_DATA_DIR": str(tmp_path / name) for name in SERVICES},
            **env,
        },
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def all_live(base: int, process: subprocess.Popen[str]) -> None:
    async with httpx.AsyncClient(timeout=2.0) as client, asyncio.timeout(READY_GUARD_S):
        for index in range(len(SERVICES)):
            while True:
                assert process.poll() is None, "eocms up exited while starting"
                try:
                    live = await client.get(f"http://127.0.0.1:{base + index}/health/live")
                    if live.status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)


async def interrupted(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    process.send_signal(signal.SIGINT)
    out, err = await asyncio.to_thread(process.communicate, timeout=STOP_GUARD_S)
    return process.returncode, out, err


async def test_up_serves_all_four_services_on_the_port_base_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    base = free_port_base()
    process = start_up(tmp_path, base)
    try:
        await all_live(base, process)
    finally:
        code, out, _ = await interrupted(process)

    assert code == 0
    for index, name in enumerate(SERVICES):
        assert f"{name:>10}: http://127.0.0.1:{base + index}  (docs at /docs)" in out
    assert all(bind_problem("127.0.0.1", base + i) is None for i in range(len(SERVICES)))


async def test_ctrl_c_while_starting_stops_up(tmp_path: Path) -> None:
    base = free_port_base()
    process = start_up(tmp_path, base)
    assert process.stdout is not None
    line = await asyncio.to_thread(process.stdout.readline)  # "Kafka: ..." (broker up)

    code, _, _ = await interrupted(process)

    assert line.startswith("Kafka: ")
    assert code == 0


async def test_a_refused_configuration_stops_up_naming_the_service(tmp_path: Path) -> None:
    process = start_up(tmp_path, free_port_base(), CASELOAD_DATABASE_URL="mysql://u@h/db")

    _, err = await asyncio.to_thread(process.communicate, timeout=READY_GUARD_S)

    assert process.returncode == 1
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: caseload cannot start: unsupported database 'mysql': use PostgreSQL "
        "(postgresql+asyncpg://...) or SQLite (sqlite+aiosqlite:///PATH)"
    ]
