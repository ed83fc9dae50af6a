"""The ``eocms`` command line. Each command group lives in its own module."""

from __future__ import annotations

import typer

from eocms.cli import (
    clients,
    contracts,
    demo,
    dlq,
    keys,
    migrate,
    projections,
    report,
    serve,
    token,
)

app = typer.Typer(
    name="eocms",
    help="Event-sourced case management for Employment Ontario's employment programs.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(clients.app, name="clients")
app.add_typer(contracts.app, name="contracts")
app.add_typer(keys.app, name="keys")
app.add_typer(dlq.app, name="dlq")
app.add_typer(report.app, name="report")
app.add_typer(projections.app, name="projections")
app.command("demo")(demo.demo)
app.command("token")(token.token)
app.command("serve")(serve.serve)
app.command("up")(serve.up)
app.command("migrate")(migrate.migrate)


def main() -> None:
    """Console-script entry point."""
    app()
