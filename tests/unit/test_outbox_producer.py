"""The relay's producer: keyed records land where Kafka's default partitioner puts them."""

from __future__ import annotations

import uuid

import pytest
from aiokafka.partitioner import DefaultPartitioner

from chassis.broker.producer import CachedKeyPartitioner, create_producer
from chassis.settings import KafkaSettings


def test_the_cached_partitioner_picks_the_partition_kafkas_default_picks() -> None:
    cached, default = CachedKeyPartitioner(cache_size=8), DefaultPartitioner()
    keys = [str(uuid.uuid4()).encode() for _ in range(200)] + [b"", b"a", b"client-1"]
    for partitions in ([0], [0, 1, 2], list(range(12))):
        for key in keys + keys:  # the second pass is served from the cache
            assert cached(key, partitions, partitions) == default(key, partitions, partitions)


def test_a_keyless_record_goes_to_an_available_partition() -> None:
    assert CachedKeyPartitioner()(None, [0, 1, 2], [2]) == 2


async def test_a_producer_needs_somewhere_to_connect() -> None:
    with pytest.raises(ValueError, match="bootstrap"):
        create_producer(KafkaSettings(bootstrap_servers=None), local_broker=False)
