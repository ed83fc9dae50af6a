"""The ``eocms`` command line. Each command group lives in its own module."""

from __future__ import annotations

import typer

from eocms.cli import contracts, demo, dlq, migrate, outbox, projections, report, serve, token
from eocms.cli.search_index import app as search_index_app

app = typer.Typer(
    name="eocms",
    help="Event-sourced case management for Employment Ontario's employment programs.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(contracts.app, name="contracts")
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
