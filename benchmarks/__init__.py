"""Performance harness: event store appends, outbox relay, and their references.

``python -m benchmarks`` measures, in one run on a fresh PostgreSQL database
and a local broker it starts itself, our append and relay throughput beside the
``eventsourcing`` library and the raw asyncpg / aiokafka ceilings, and prints
them as one table with the targets. ``benchmarks/README.md`` records results.
"""
