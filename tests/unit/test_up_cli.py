"""``eocms up``: ports chosen and checked before anything starts; fatal startups stop it.

The supervisor is driven with tiny FastAPI apps whose lifespan fails on
purpose: a reason a restart cannot fix stops everything with that reason, a
transient one restarts, and stopping never waits out a restart delay.
"""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from chassis.broker.local import free_loopback_port
from eocms.cli import app
from eocms.cli.serve import service_ports
from eocms.ports import port_holder, taken_ports
from eocms.supervisor import ServedApp, ServiceCannotStart, is_transient, serve_supervised

RUNNER = CliRunner()
GUARD_S = 20.0
"""Only a hang guard: every supervised run here ends long before it."""


@pytest.fixture
def listening() -> Iterator[int]:
    """A port this test process listens on."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        yield holder.getsockname()[1]


def test_a_taken_port_stops_up_before_anything_starts_naming_port_and_holder(
    listening: int,
) -> None:
    result = RUNNER.invoke(app, ["up", "--port-base", str(listening - 1)])

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        f"error: port {listening} on 127.0.0.1 for caseload is already in use by pid {os.getpid()}"
    ) in "\n".join(lines)
    assert "--port-base" in lines[-1]
    assert "Kafka:" not in result.stdout  # the broker was never started


def test_the_holder_of_a_port_is_found_from_proc(listening: int) -> None:
    holder = port_holder(listening)

    assert holder is not None
    assert holder.pid == os.getpid()


def test_free_ports_are_not_reported() -> None:
    port = free_loopback_port()

    assert taken_ports({"intake": ("127.0.0.1", port)}) == []


def test_ports_follow_the_base_and_per_service_overrides_win() -> None:
    assert service_ports(9000, []) == {
        "intake": 9000,
        "caseload": 9001,
        "programs": 9002,
        "reporting": 9003,
        "web": 9004,
    }
    assert service_ports(9000, ["reporting=9100"])["reporting"] == 9100
    assert service_ports(9000, ["web=9200"])["web"] == 9200


@pytest.mark.parametrize("override", ["billing=9100", "intake=http", "intake=9001"])
def test_unknown_services_bad_ports_and_clashes_are_refused(override: str) -> None:
    result = RUNNER.invoke(app, ["up", "--port-base", "9000", "--port", override])

    assert result.exit_code == 2
    assert "--port" in result.output


def failing_app(
    error: BaseException, attempts: list[int], attempted: asyncio.Event | None = None
) -> FastAPI:
    """An app whose startup always fails with ``error``; counts its attempts."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        attempts.append(1)
        if attempted is not None:
            attempted.set()
        raise error
        yield

    return FastAPI(lifespan=lifespan)


def served(application: FastAPI, name: str = "intake") -> ServedApp:
    return ServedApp(name, application, "127.0.0.1", free_loopback_port())


@pytest.mark.asyncio
async def test_a_configuration_error_at_startup_stops_everything_with_its_reason() -> None:
    attempts: list[int] = []
    healthy = FastAPI()
    stop = asyncio.Event()

    with pytest.raises(ServiceCannotStart) as raised:
        await asyncio.wait_for(
            serve_supervised(
                [served(failing_app(ValueError("bad KEY"), attempts)), served(healthy, "other")],
                stop,
            ),
            GUARD_S,
        )

    assert raised.value.service == "intake"
    assert str(raised.value.cause) == "bad KEY"
    assert attempts == [1]  # never restarted
    assert stop.is_set()  # the healthy service was stopped too


@pytest.mark.asyncio
async def test_stopping_during_a_restart_delay_does_not_wait_for_it() -> None:
    attempts: list[int] = []
    attempted = asyncio.Event()
    unreachable = failing_app(ConnectionRefusedError("database not up yet"), attempts, attempted)
    stop = asyncio.Event()
    supervised = asyncio.create_task(
        serve_supervised([served(unreachable)], stop, first_delay_s=3600.0)
    )
    await asyncio.wait_for(attempted.wait(), GUARD_S)

    stop.set()
    await asyncio.wait_for(supervised, GUARD_S)

    assert attempts == [1]  # it was in its hour-long delay when stopped


def test_only_failures_to_reach_something_are_worth_a_restart() -> None:
    class Wrapped(Exception):
        pass

    wrapped = Wrapped("database")
    wrapped.__cause__ = ConnectionRefusedError()

    assert is_transient(ConnectionRefusedError())
    assert is_transient(TimeoutError())
    assert is_transient(wrapped)
    assert not is_transient(ValueError("bad setting"))
    assert not is_transient(OSError(98, "Address already in use"))
    assert not is_transient(None)
