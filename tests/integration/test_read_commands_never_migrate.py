"""Read commands refuse a database without reporting's schema and write nothing to it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import inspect
from typer.testing import CliRunner

from chassis.database import create_engine
from eocms.cli import app
from eocms.cli.migrate import migrate_service_database
from tests.support.postgres import DatabaseFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.postgres]

RUNNER = CliRunner()


async def tables_of(url: str) -> set[str]:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def invoke(arguments: list[str]) -> Result:
    """The CLI runs its own event loop: in a thread, beside the test's."""
    return await asyncio.to_thread(RUNNER.invoke, app, arguments)


def read_command(name: str, url: str) -> list[str]:
    if name == "sqs":
        return ["report", "sqs", "--fiscal-year", "2012-13", "--database-url", url]
    return [
        "report",
        "export",
        "--fiscal-year",
        "2012-13",
        "--what",
        "measures",
        "--format",
        "csv",
        "--output",
        "-",
        "--database-url",
        url,
    ]


@pytest.mark.parametrize("command", ["sqs", "export"])
async def test_a_database_without_reporting_tables_is_refused_and_left_alone(
    command: str, postgres_database_factory: DatabaseFactory
) -> None:
    url = await postgres_database_factory()  # chassis tables only: not reporting's schema
    before = await tables_of(url)

    result = await invoke(read_command(command, url))

    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "is not at reporting's latest schema (missing migrations r0001, r0002" in lines[0]
    assert lines[0].endswith("run `eocms migrate reporting`")
    assert "run `eocms migrate reporting`" in lines[0]
    assert await tables_of(url) == before


async def test_another_services_database_is_named_as_such(
    postgres_database_factory: DatabaseFactory,
) -> None:
    url = await postgres_database_factory()
    await migrate_service_database("intake", url)
    before = await tables_of(url)

    result = await invoke(read_command("sqs", url))

    assert result.exit_code == 1
    assert "is not reporting's database" in result.stderr
    assert "Traceback" not in result.output
    assert await tables_of(url) == before


async def test_a_mistyped_database_name_creates_nothing(
    postgres_database_factory: DatabaseFactory,
) -> None:
    url = await postgres_database_factory()
    mistyped = url.rsplit("/", 1)[0] + "/eocms_no_such_database"

    result = await invoke(read_command("sqs", mistyped))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'error: reporting database: database "eocms_no_such_database" does not exist'
    ]


async def test_export_to_dash_writes_the_csv_to_standard_output(
    postgres_database_factory: DatabaseFactory,
) -> None:
    url = await postgres_database_factory()
    await migrate_service_database("reporting", url)
    arguments = read_command("export", url)
    arguments[arguments.index("measures")] = "plans"

    result = await invoke(arguments)

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("fiscal_year,")
    assert result.stderr == "wrote 0 plans rows of 2012-13 to stdout\n"
    assert not await asyncio.to_thread(Path("-").exists)
