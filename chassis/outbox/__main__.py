"""Run the outbox relay as a process until SIGTERM or SIGINT.

    python -m chassis.outbox --database-url postgresql+asyncpg://... \\
        --bootstrap-servers host:9092 [--local-broker]

Creates the event topics if missing, then publishes until stopped. Killed
outright, it loses nothing: unacknowledged rows stay in the outbox and the
next relay sends them again.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from chassis.broker.producer import create_producer
from chassis.broker.security import KafkaSecurity
from chassis.broker.topics import ensure_topics
from chassis.database import create_engine
from chassis.logging import configure_logging, get_logger
from chassis.outbox.relay import OutboxRelay
from chassis.settings import KafkaSettings, ServiceSettings
from contracts.topics import EVENT_TOPICS

log = get_logger("chassis.outbox")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; Kafka and relay defaults come from the environment settings."""
    kafka, service = KafkaSettings(), ServiceSettings()
    parser = argparse.ArgumentParser(
        prog="python -m chassis.outbox",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", required=True, help="SQLAlchemy async URL")
    parser.add_argument("--bootstrap-servers", default=kafka.bootstrap_servers)
    parser.add_argument(
        "--local-broker", action="store_true", help="the local broker: idempotence off"
    )
    parser.add_argument("--batch-size", type=int, default=service.relay_batch_size)
    parser.add_argument("--poll-interval", type=float, default=service.relay_poll_interval_s)
    parser.add_argument("--log-level", default=service.log_level)
    args = parser.parse_args(argv)
    if not args.bootstrap_servers:
        parser.error("--bootstrap-servers or KAFKA_BOOTSTRAP_SERVERS is required")
    return args


async def serve(args: argparse.Namespace) -> None:
    """Run one relay until a stop signal arrives."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    settings = KafkaSettings()
    security = (
        KafkaSecurity.plaintext() if args.local_broker else KafkaSecurity.from_settings(settings)
    )
    await ensure_topics(
        args.bootstrap_servers,
        EVENT_TOPICS.values(),
        partitions=settings.topic_partitions,
        security=security,
    )
    engine = create_engine(args.database_url, pool_size=2)
    producer = create_producer(
        settings,
        local_broker=args.local_broker,
        bootstrap_servers=args.bootstrap_servers,
        security=security,
    )
    await producer.start()
    relay = OutboxRelay(
        engine, producer, batch_size=args.batch_size, poll_interval_s=args.poll_interval
    )
    log.info("outbox_relay_started", bootstrap_servers=args.bootstrap_servers)
    try:
        await relay.run(stop)
    finally:
        await producer.stop()
        await engine.dispose()
        log.info("outbox_relay_stopped")


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``python -m chassis.outbox``."""
    args = parse_args(argv)
    configure_logging("outbox-relay", level=args.log_level)
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
