"""The reporting benchmarks run end to end at a tiny size and produce every figure.

Asserts that each figure was measured on the data it claims (every province
event projected and rebuilt, every ``/sqs`` request answered, freshness
samples taken, the load sent), never how fast: speed is recorded in
benchmarks/README.md, not asserted in tests. The run starts its own brokers
and services, like ``python -m benchmarks.reporting``.
"""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from benchmarks.province import ProvinceShape, ProvinceStats, generate
from benchmarks.reporting_freshness import FreshnessConfig
from benchmarks.reporting_suite import ReportingConfig, ReportingRunner, as_json, build_table
from contracts.envelope import EventEnvelope
from contracts.registry import DEFAULT_REGISTRY
from services.reporting.adapters.facts_projection import TOPICS
from tests.support.postgres import ADMIN_URL

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]


def test_the_synthetic_province_is_valid_deterministic_and_in_order_per_stream() -> None:
    shape = ProvinceShape(sites=3, clients=60, seed=7)
    stats = ProvinceStats()
    records = [record for chunk in generate(shape, stats) for record in chunk]
    again = [record for chunk in generate(shape) for record in chunk]

    assert [r.value for r in records] == [r.value for r in again]
    assert stats.events == len(records) > 60 * 3
    versions: dict[str, int] = {}
    for record in records:
        assert record.topic in TOPICS
        envelope = EventEnvelope.model_validate_json(record.value)
        payload = DEFAULT_REGISTRY.decode(
            envelope.event_type, envelope.schema_version, envelope.payload
        )
        assert record.key.decode() == payload.partition_key(envelope.stream_id)
        headers = dict(record.headers)
        assert headers["event_id"].decode() == str(envelope.event_id)
        assert int(headers["stream_version"]) == envelope.stream_version
        assert envelope.stream_version == versions.get(envelope.stream_id, 0) + 1
        versions[envelope.stream_id] = envelope.stream_version


async def test_a_tiny_reporting_benchmark_run_produces_every_figure() -> None:
    config = ReportingConfig(
        sites=2,
        clients=100,
        admin_url=ADMIN_URL,
        sqs_requests=5,
        freshness=FreshnessConfig(
            rate=20,
            duration_s=3,
            load_sites=2,
            probe_sites=2,
            probe_loops=1,
            probe_plans=8,
            background_clients_per_site=10,
        ),
    )
    output = io.StringIO()
    results = await ReportingRunner(config, Console(file=output, width=220)).run()

    figures = results.figures
    assert results.failures == {}
    assert set(figures) == {
        "setup.produce",
        "raw.consume",
        "raw.consume.json",
        "projection",
        "projection.members.1",
        "projection.members.2",
        "rebuild",
        "sqs",
        "freshness",
        "freshness.load",
    }
    events = results.context["province"]["events"]
    assert figures["setup.produce"].data["events"] == events
    assert figures["raw.consume"].data["events"] == events
    assert figures["raw.consume.json"].data["events"] == events
    assert figures["projection"].data["events"] == events
    for members in (1, 2):  # counted from the group's first commit, so at most every event
        assert 0 < figures[f"projection.members.{members}"].data["events"] <= events
    assert figures["rebuild"].data["events"] == events
    assert figures["rebuild"].data["site_years_refreshed"] >= config.shape.sites
    assert figures["sqs"].data["samples"] == config.sqs_requests
    assert figures["freshness"].data["samples"] > 0
    assert figures["freshness"].data["probe_timeouts"] == 0
    assert figures["freshness"].data["history_events"] > 4 * 10 * 3
    assert figures["freshness.load"].data["commands_sent"] == 3 * config.freshness.load_plans
    assert figures["freshness.load"].data["commands_failed"] == 0
    for key in ("projection", "rebuild", "sqs", "freshness"):
        assert figures[key].met is not None, key
    json.dumps(as_json(results))
    Console(file=output, width=220).print(build_table(results))
    assert "FactsProjection" in output.getvalue()
