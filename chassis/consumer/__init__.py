"""The consumer runner: projections fed from Kafka in batches, exactly once in effect.

A service's composition root builds a :class:`ProjectionRunner` per
:class:`Projection`, starts it and stops it::

    runner = ProjectionRunner(
        SiteFacts(),
        engine=engine,
        bootstrap_servers=bootstrap_servers,
        registry=DEFAULT_REGISTRY,
        enable_idempotence=kafka_settings.idempotence_for(local_broker),
        options=ConsumerOptions(topic_partitions=kafka_settings.topic_partitions),
    )
    await runner.start()  # joins the group; consumes in the background
    ...
    await runner.stop()

Poison records go to ``<topic>.dlq.<group>``; :mod:`chassis.consumer.dlq`
reads and replays those topics (``eocms dlq show|replay``). Events received
ahead of their stream's previous version are parked in the service's database
(:mod:`chassis.consumer.progress`, :mod:`chassis.consumer.parking_table`) and
applied when it comes; :mod:`chassis.consumer.parked_health` turns long-parked
events into a "degraded" readiness answer, :mod:`chassis.consumer.status`
feeds ``eocms projections status``.
"""

from chassis.consumer.batch import BatchOutcome, BatchProcessor
from chassis.consumer.decoding import Classified, Poison, PoisonReason, classify
from chassis.consumer.events import DecodedEvent, RecordPosition
from chassis.consumer.options import ConsumerOptions
from chassis.consumer.producer import KafkaRecordProducer, OutgoingRecord, RecordSink
from chassis.consumer.projection import Projection, SubscribedProjection
from chassis.consumer.runner import ProjectionRunner

__all__ = [
    "BatchOutcome",
    "BatchProcessor",
    "Classified",
    "ConsumerOptions",
    "DecodedEvent",
    "KafkaRecordProducer",
    "OutgoingRecord",
    "Poison",
    "PoisonReason",
    "Projection",
    "ProjectionRunner",
    "RecordPosition",
    "RecordSink",
    "SubscribedProjection",
    "classify",
]
