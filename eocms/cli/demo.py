"""``eocms demo``: the system working end to end on embedded defaults."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from chassis.logging import configure_logging


def demo(
    clients: Annotated[int, typer.Option(min=1, help="Synthetic clients to register.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic data.")] = 2012,
    data_dir: Annotated[Path, typer.Option(help="Where embedded stores live.")] = Path(
        ".eocms-data"
    ),
) -> None:
    """Start a local broker and an embedded store, publish events end to end, report."""
    from eocms.demo.pipeline import run_pipeline

    configure_logging("eocms-demo", level="WARNING")
    console = Console()
    started = time.perf_counter()
    with console.status("Starting the local broker and the embedded store..."):
        report = asyncio.run(run_pipeline(data_dir, clients, seed))
    elapsed = time.perf_counter() - started

    sites = Counter(e.payload["site_id"] for e in report.received)
    console.print("intake.ClientRegistered events read back from eocms.intake.events:")
    table = Table(title="Registrations per site")
    table.add_column("site")
    table.add_column("events", justify="right")
    for site, count in sorted(sites.items()):
        table.add_row(site, str(count))
    console.print(table)
    console.print(
        f"appended {report.appended}, relayed {report.published}, "
        f"read back {len(report.received)} across partitions "
        f"{dict(sorted(report.per_partition.items()))} in {elapsed:.1f}s"
    )
    if len(report.received) != report.appended:
        console.print("[red]not every appended event came back from the topic[/red]")
        raise typer.Exit(1)
