"""``eocms dlq`` without a cluster says what to configure."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from eocms.cli.dlq import app


@pytest.mark.parametrize("command", ["replay", "show"])
def test_without_a_cluster_the_dlq_commands_fail_with_a_clear_message(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)

    result = CliRunner().invoke(app, [command, "--topic", "eocms.intake.events.dlq.reporting"])

    assert result.exit_code == 2
    assert "KAFKA_BOOTSTRAP_SERVERS" in result.output
    assert "--bootstrap-servers" in result.output
