"""What a Kafka-protocol broker accepts, found by asking it.

The local broker (Tansu) refuses idempotent producers: it answers
InitProducerId with an error. A tool that is not told which broker it talks to
(``KAFKA_ENABLE_IDEMPOTENCE`` unset) asks before producing.
"""

from __future__ import annotations

import logging

from aiokafka import AIOKafkaProducer
from aiokafka.errors import UnknownError, UnsupportedVersionError

from chassis.broker.security import KafkaSecurity, security_options


async def accepts_idempotence(servers: str, security: KafkaSecurity | None = None) -> bool:
    """Whether the broker grants an idempotent producer its id (the local broker does not).

    Connection failures propagate: they say nothing about the broker's abilities.
    """
    producer = AIOKafkaProducer(
        **security_options(security), bootstrap_servers=servers, enable_idempotence=True
    )
    sender_log = logging.getLogger("aiokafka.producer.sender")
    level = sender_log.level
    sender_log.setLevel(logging.CRITICAL)  # its refusal is expected here, not an error
    try:
        await producer.start()
    except (UnknownError, UnsupportedVersionError):
        return False
    finally:
        sender_log.setLevel(level)
        await producer.stop()
    return True
