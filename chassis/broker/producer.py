"""Kafka producers for publishing events: durable, ordered, batched.

``acks="all"`` so a record counts as sent only once every in-sync replica has
it. Idempotence is on against a real cluster (no duplicates or reordering from
the producer's own retries) and off against the local broker, which rejects
idempotent producers. aiokafka keeps one request in flight per broker and mutes
a partition while its batch is in flight, so records of one partition reach the
broker in send order even without idempotence, as long as no send fails.
"""

from __future__ import annotations

from functools import lru_cache

from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner, murmur2

from chassis.broker.security import KafkaSecurity
from chassis.eventstore.limits import KAFKA_DEFAULT_MAX_BYTES
from chassis.settings import KafkaSettings

LINGER_MS = 5
"""Wait this long for more records to fill a batch; the relay sends in bursts."""

MAX_BATCH_BYTES = 512 * 1024
"""Per-partition batch size. aiokafka sends one request per broker at a time,
so large batches, not many small ones, carry the relay's throughput. Stays well
under the broker's default ``message.max.bytes`` (1 MiB), which bounds one batch."""


REQUEST_HEADROOM = 16_384
"""Room for the request's own framing above the largest record the store accepts
(``KafkaSettings.max_record_bytes``, enforced at append by
:mod:`chassis.eventstore.limits`), so every stored event can be sent."""

KEY_HASH_CACHE_SIZE = 100_000
"""Record keys whose hash is remembered; keys are client ids, which recur."""


class CachedKeyPartitioner:
    """aiokafka's default partitioner with each key's murmur2 hash remembered.

    Same partition for every key as the Java client and aiokafka's default;
    the pure-Python murmur2 it avoids recomputing was the relay's largest
    single cost per record when profiled.
    """

    def __init__(self, cache_size: int = KEY_HASH_CACHE_SIZE) -> None:
        self._hash = lru_cache(maxsize=cache_size)(murmur2)
        self._keyless = DefaultPartitioner()

    def __call__(self, key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
        if key is None:
            return self._keyless(key, all_partitions, available)
        return all_partitions[(self._hash(key) & 0x7FFFFFFF) % len(all_partitions)]


def create_producer(
    settings: KafkaSettings,
    *,
    local_broker: bool,
    bootstrap_servers: str | None = None,
    security: KafkaSecurity | None = None,
) -> AIOKafkaProducer:
    """An unstarted producer for the configured cluster or the local broker.

    ``bootstrap_servers`` overrides the settings (the local broker's address is
    only known once it runs). ``security`` defaults to the settings' own
    (PLAINTEXT for the local broker). The caller starts and stops the producer.
    """
    servers = bootstrap_servers or settings.bootstrap_servers
    if not servers:
        raise ValueError("no bootstrap servers: configure KAFKA_BOOTSTRAP_SERVERS or pass them")
    if security is None:
        security = KafkaSecurity.for_cluster(settings, local_broker=local_broker)
    return AIOKafkaProducer(
        bootstrap_servers=servers,
        client_id=settings.client_id,
        acks="all",
        enable_idempotence=settings.idempotence_for(local_broker),
        linger_ms=LINGER_MS,
        max_batch_size=MAX_BATCH_BYTES,
        max_request_size=max(KAFKA_DEFAULT_MAX_BYTES, settings.max_record_bytes + REQUEST_HEADROOM),
        partitioner=CachedKeyPartitioner(),
        **security.aiokafka_options(),
    )
