"""What a readiness check reports, without any web framework.

``/health/ready`` (:mod:`chassis.http.health`) runs a service's checks: the
database, the broker and each consumer. A check is an async callable that
raises when its dependency is unusable ("failed") and otherwise returns
``None`` ("ok") or a :class:`CheckResult` that says more: a consumer
``starting`` or ``joined``, or ``degraded`` (it works, with a reason an
operator should look at, such as events parked for too long).

Only ``failed`` makes the service unready (503); ``degraded`` keeps 200 and
turns the overall status to ``"degraded"``, because the HTTP API still serves
commands and queries and taking the instance out of the load balancer would
not help.

A :data:`ConsumerCheck` adds to a running consumer's status: the service
wiring (:mod:`chassis.wiring`) calls each one with the service's engine and
the consumer's group name, for every consumer, on every readiness request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine


class CheckStatus(StrEnum):
    """One check's state, from best to worst."""

    OK = "ok"
    JOINED = "joined"
    """A consumer is in its group and consuming."""
    STARTING = "starting"
    """A consumer is connecting or joining its group; HTTP serves meanwhile."""
    DEGRADED = "degraded"
    """Usable, but something needs an operator's attention (the reason says what)."""
    FAILED = "failed"
    """Not usable: the service answers 503 on ``/health/ready``."""

    @property
    def severity(self) -> int:
        """0 for the passing states, 1 for degraded, 2 for failed."""
        return {CheckStatus.DEGRADED: 1, CheckStatus.FAILED: 2}.get(self, 0)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A check's status and, when there is one, a short reason without secrets or addresses."""

    status: CheckStatus
    reason: str = ""

    def __str__(self) -> str:
        return f"{self.status} ({self.reason})" if self.reason else str(self.status)


OK = CheckResult(CheckStatus.OK)

ReadinessCheck = Callable[[], Awaitable[object]]
"""Returns when a dependency is usable (optionally a :class:`CheckResult`); raises otherwise."""

ConsumerCheck = Callable[[AsyncEngine, str], Awaitable[CheckResult | None]]
"""An extra check of one consumer, given the service's engine and the consumer's group.

Returns ``None`` (nothing to report) or a result such as
``CheckResult(CheckStatus.DEGRADED, "3 events parked, oldest 95 s")``; the worse
of it and the consumer's own state is reported."""


def worst(results: list[CheckResult]) -> CheckResult:
    """The most severe of ``results`` (the first of equals); ``ok`` for none."""
    found = results[0] if results else OK
    for result in results[1:]:
        if result.status.severity > found.status.severity:
            found = result
    return found


class StartedConsumer(Protocol):
    """What readiness reads of a consumer (:class:`chassis.lifecycle.ProjectionStart`)."""

    @property
    def group(self) -> str: ...

    @property
    def result(self) -> CheckResult: ...


def consumer_readiness(
    consumer: StartedConsumer, *, engine: AsyncEngine, checks: Sequence[ConsumerCheck]
) -> ReadinessCheck:
    """A readiness check of one consumer: the worse of its own state and what ``checks`` say."""

    async def check_consumer() -> CheckResult:
        found = [consumer.result]
        for check in checks:
            result = await check(engine, consumer.group)
            if result is not None:
                found.append(result)
        return worst(found)

    return check_consumer
