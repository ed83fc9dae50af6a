"""The services' subscribers as FastStream brokers, for the AsyncAPI document.

Each service's ``entrypoints/subscribers.py`` may offer ``projections()``;
every projection gets an unstarted :class:`ProjectionRunner`, whose FastStream
broker declares the subscriber (topics, consumer group, batch, ack policy)
without connecting to anything.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from faststream.kafka import KafkaBroker
from sqlalchemy.ext.asyncio import create_async_engine

from chassis.consumer import ProjectionRunner
from contracts.asyncapi import DEFAULT_SERVER
from contracts.compatibility import published_registry
from eocms.catalogue import SERVICES


def subscriber_brokers(server: str = DEFAULT_SERVER) -> Iterator[KafkaBroker]:
    """One unconnected broker per projection of every service in this build."""
    engine = create_async_engine("sqlite+aiosqlite://")  # never connected: documents only
    registry = published_registry()
    for entry in SERVICES.values():
        if not entry.available():
            continue
        module_name = entry.bootstrap_module.rsplit(".", 1)[0] + ".entrypoints.subscribers"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        projections = getattr(module, "projections", None)
        if projections is None:
            continue
        for projection in projections():
            runner = ProjectionRunner(
                projection,
                engine=engine,
                bootstrap_servers=server,
                registry=registry,
                enable_idempotence=False,
            )
            yield runner.broker
