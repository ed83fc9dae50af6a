"""The benchmark harness runs end to end at a tiny scale and fills every row.

Asserts that each planned figure was measured, never how fast: speed is
recorded in benchmarks/README.md, not asserted in tests.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from benchmarks.report import build_table, target_summary
from benchmarks.suite import Config, Runner, row_plan, target_plan
from tests.support.postgres import ADMIN_URL

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]


async def test_a_tiny_benchmark_run_produces_a_figure_for_every_row() -> None:
    config = Config(
        scale=0.1,
        duration_s=2.0,
        repeat=1,
        writers=2,
        batch_size=10,
        relay_events=10_000,
        copy_batches=(10, 100),
        commands=200,
        admin_url=ADMIN_URL,
    )
    output = io.StringIO()
    results = await Runner(config, Console(file=output, width=200)).run()

    rows, targets = row_plan(config), target_plan(config)
    missing = [row.key for row in rows if row.key not in results.measurements]
    assert missing == []
    for row in rows:
        measurement = results.measurements[row.key]
        assert measurement.events > 0, row.key
        assert measurement.seconds > 0, row.key
    assert results.measurements["relay.drain"].events == config.events
    assert len(target_summary(targets, results)) == len(targets)
    Console(file=output, width=200).print(build_table(rows, targets, results))
    assert "OutboxRelay.run()" in output.getvalue()
    for key in ("http.bare", "http.intake.register", "http.caseload.open", "http.caseload.close"):
        assert results.measurements[key].server_cpu_s > 0, key
