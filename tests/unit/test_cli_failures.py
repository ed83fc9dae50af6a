"""Failed ``eocms`` commands say what went wrong in a line or two; tracebacks only with --debug."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from eocms.cli import app, package_version

RUNNER = CliRunner()
UNREACHABLE_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:9/eocms"
"""Port 9 (discard): nothing listens there on a test machine, so connecting is refused."""


def error_lines(arguments: list[str]) -> tuple[int, list[str]]:
    """The exit code and the lines a command wrote to stderr."""
    result = RUNNER.invoke(app, arguments)
    return result.exit_code, result.stderr.splitlines()


def test_version_prints_the_package_version() -> None:
    result = RUNNER.invoke(app, ["--version"])

    assert result.exit_code == 0
    assert result.stdout == f"eocms {package_version()}\n"


def test_an_unreachable_database_is_one_or_two_lines_not_a_traceback() -> None:
    code, lines = error_lines(["migrate", "reporting", "--database-url", UNREACHABLE_POSTGRES])

    assert code == 1
    assert 1 <= len(lines) <= 2, lines
    assert lines[0].startswith("error: reporting database: cannot connect: connection refused")
    assert "Traceback" not in "\n".join(lines)


def test_a_mysql_url_is_an_unsupported_database() -> None:
    code, lines = error_lines(
        ["report", "sqs", "--fiscal-year", "2012-13", "--database-url", "mysql://u@h/db"]
    )

    assert code == 1
    assert lines[0].startswith("error: unsupported database 'mysql'")
    assert len(lines) == 1


def test_a_malformed_database_url_is_one_line() -> None:
    code, lines = error_lines(["migrate", "intake", "--database-url", "not a url"])

    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith("error: intake database: database URL:")


def test_debug_lets_the_traceback_through() -> None:
    result = RUNNER.invoke(
        app, ["--debug", "migrate", "reporting", "--database-url", UNREACHABLE_POSTGRES]
    )

    assert result.exit_code != 0
    assert isinstance(result.exception, Exception)  # propagated, not turned into an exit
    assert isinstance(result.exception.__cause__, ConnectionRefusedError)


def test_a_missing_sqlite_database_is_refused_by_a_read_command_and_not_created(
    tmp_path: Path,
) -> None:
    database = tmp_path / "typo" / "reporting.db"

    code, lines = error_lines(
        [
            "report",
            "sqs",
            "--fiscal-year",
            "2012-13",
            "--database-url",
            f"sqlite+aiosqlite:///{database}",
        ]
    )

    assert code == 1
    assert lines == [f"error: no reporting database at {database}"]
    assert not database.parent.exists()


@pytest.mark.parametrize("period", ["q5", "2012-13", "last"])
def test_an_unknown_period_names_the_valid_ones(period: str) -> None:
    from services.reporting.domain.periods import parse_period

    with pytest.raises(ValueError, match="use ytd, q1, q2, q3, q4 or a month YYYY-MM"):
        parse_period("2012-13", period)


def test_an_unknown_fiscal_year_names_the_kept_years_but_no_server_path() -> None:
    from contracts.rulebook import RuleBookNotFound, load_rulebook
    from contracts.rulebook.loader import DATA_DIRECTORY

    with pytest.raises(RuleBookNotFound) as raised:
        load_rulebook("1999-00")

    assert "available: 2010-11" in str(raised.value)
    assert str(DATA_DIRECTORY) not in str(raised.value)
    assert "/" not in str(raised.value)


def test_an_unreachable_kafka_is_two_lines_naming_the_servers() -> None:
    code, lines = error_lines(
        ["dlq", "show", "--topic", "t.dlq.g", "--bootstrap-servers", "127.0.0.1:9"]
    )

    assert code == 1
    assert len(lines) == 2, lines
    assert lines[0].startswith("error: Kafka at 127.0.0.1:9: cannot reach Kafka")
    assert "KAFKA_BOOTSTRAP_SERVERS" in lines[1]
