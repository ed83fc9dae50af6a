"""The ``eocms`` command line. Each command group lives in its own module."""

from __future__ import annotations

from importlib import metadata
from typing import Annotated

import typer

from eocms.cli import (
    clients,
    contracts,
    demo,
    dlq,
    keys,
    migrate,
    outbox,
    projections,
    report,
    serve,
    token,
)
from eocms.cli.failures import FailureReportingGroup
from eocms.cli.search_index import app as search_index_app

app = typer.Typer(
    name="eocms",
    help="Event-sourced case management for Employment Ontario's employment programs.",
    no_args_is_help=True,
    cls=FailureReportingGroup,
    pretty_exceptions_show_locals=False,
)


def package_version() -> str:
    """The installed ``eocms`` distribution's version (``0.0.0`` from a bare source tree)."""
    try:
        return metadata.version("eocms")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"eocms {package_version()}")
        raise typer.Exit()


@app.callback()
def root(
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Show full tracebacks on failure (also EOCMS_DEBUG=1)."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Event-sourced case management for Employment Ontario's employment programs."""


app.add_typer(clients.app, name="clients")
app.add_typer(contracts.app, name="contracts")
app.add_typer(keys.app, name="keys")
app.add_typer(dlq.app, name="dlq")
app.add_typer(outbox.app, name="outbox")
app.add_typer(report.app, name="report")
app.add_typer(projections.app, name="projections")
app.add_typer(search_index_app, name="search-index")
app.command("demo")(demo.demo)
app.command("token")(token.token)
app.command("serve")(serve.serve)
app.command("up")(serve.up)
app.command("migrate")(migrate.migrate)


def main() -> None:
    """Console-script entry point."""
    app()
