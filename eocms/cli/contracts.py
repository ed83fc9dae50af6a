"""``eocms contracts ...``: schema compatibility check, schema snapshot, AsyncAPI document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contracts.asyncapi import DEFAULT_SERVER, asyncapi_document, render
from contracts.compatibility import (
    SNAPSHOT_PATH,
    CompatibilityReport,
    check_compatibility,
    current_schemas,
    published_registry,
    read_snapshot,
    write_snapshot,
)

app = typer.Typer(
    help="Event contracts: compatibility check, schema snapshot, AsyncAPI document.",
    no_args_is_help=True,
)

SnapshotOption = Annotated[
    Path, typer.Option("--snapshot", dir_okay=False, help="The committed schema snapshot.")
]
HOW_TO_BREAK = (
    "Within a schema version only optional fields may be added. Leave that version as it "
    "was, register the change as a new schema_version, and add an upcaster from the "
    "previous version (EventRegistry.upcaster)."
)


@app.command()
def check(snapshot: SnapshotOption = SNAPSHOT_PATH) -> None:
    """Compare the event schemas with the snapshot; exit 1 on a breaking change."""
    report = check_compatibility(published_registry(), read_snapshot(snapshot))
    _show(report)
    if report.breaking:
        typer.secho(HOW_TO_BREAK, err=True)
        raise typer.Exit(1)
    if report.up_to_date:
        typer.echo("Event schemas match the snapshot.")
    else:
        if not report.changes:
            typer.echo("Only documentation (titles, descriptions, examples) differs.")
        typer.echo("Compatible. The snapshot is behind the code: run `eocms contracts snapshot`.")


@app.command()
def snapshot(snapshot: SnapshotOption = SNAPSHOT_PATH) -> None:
    """Rewrite the snapshot from the code; refused while any change is breaking."""
    registry = published_registry()
    report = check_compatibility(registry, read_snapshot(snapshot))
    _show(report)
    if report.breaking:
        typer.secho("Snapshot not written: a breaking change is never accepted.", err=True)
        typer.secho(HOW_TO_BREAK, err=True)
        raise typer.Exit(1)
    schemas = current_schemas(registry)
    write_snapshot(schemas, snapshot)
    count = sum(len(versions) for versions in schemas.values())
    typer.echo(f"Wrote {snapshot} ({count} event schema version(s)).")


@app.command()
def asyncapi(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", dir_okay=False, help="File to write.")
    ] = None,
    yaml_format: Annotated[bool, typer.Option("--yaml", help="YAML instead of JSON.")] = False,
    server: Annotated[
        str, typer.Option("--server", help="Kafka host:port the document names.")
    ] = DEFAULT_SERVER,
) -> None:
    """Print (or write) the AsyncAPI 3.0.0 document: topics, payloads, services' subscribers."""
    from eocms.subscribers import subscriber_brokers

    document = asyncapi_document(*subscriber_brokers(server), server=server)
    text = render(document, yaml_format=yaml_format)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {output}.", err=True)


def _show(report: CompatibilityReport) -> None:
    for change in report.breaking:
        typer.secho(f"BREAKING  {change}", fg=typer.colors.RED, err=True)
    for change in report.additive:
        typer.secho(f"additive  {change}", fg=typer.colors.GREEN)
