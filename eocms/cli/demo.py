"""``eocms demo``: a synthetic province's fiscal year through the whole system, end to end.

Starts the local broker and the four services on fresh SQLite stores, drives
a simulated year over their HTTP APIs with progress bars, waits for reporting
to catch up, prints the SQS table per site, writes the HTML dashboard and
stops everything.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from chassis.devmode import enable_dev_mode
from chassis.logging import configure_logging

if TYPE_CHECKING:
    from eocms.demo.run import DemoOptions, DemoResult, Inspect
    from eocms.demo.stack import RunningSystem

QUIET_LIBRARIES = (
    "faststream",
    "faststream.access",
    "faststream.access.kafka",
    "aiokafka",
    "uvicorn",
    "uvicorn.error",
    "alembic",
)
"""Loggers whose routine messages would break the progress bars (errors still show)."""


def quiet_libraries() -> None:
    """Only errors from the libraries: a filter, since the broker resets its logger's level."""
    for name in QUIET_LIBRARIES:
        logger = logging.getLogger(name)
        logger.setLevel(logging.ERROR)
        logger.addFilter(lambda record: record.levelno >= logging.ERROR)


def demo(
    sites: Annotated[int, typer.Option(min=1, max=500, help="Service delivery sites.")] = 12,
    clients: Annotated[
        int, typer.Option(min=1, max=200_000, help="Clients who start an ES journey.")
    ] = 500,
    fiscal_year: Annotated[
        str, typer.Option(help="Fiscal year to simulate (one with a rule book: 2010-11..2013-14).")
    ] = "2012-13",
    seed: Annotated[int, typer.Option(help="Seed of the synthetic province.")] = 2012,
    data_dir: Annotated[
        Path, typer.Option(help="Where the demo's stores (and the dashboard) go.")
    ] = Path(".eocms-data"),
    output: Annotated[
        Path | None, typer.Option(help="Dashboard file (default: DATA_DIR/dashboard.html).")
    ] = None,
    keep_data: Annotated[
        bool, typer.Option(help="Keep the services' stores after the run (under DATA_DIR/demo).")
    ] = False,
    keep_running: Annotated[
        bool,
        typer.Option(
            help="After the year, keep the services up with the live dashboard until Ctrl-C."
        ),
    ] = False,
) -> None:
    """Simulate a province's fiscal year end to end; print the SQS table; write the dashboard."""
    from contracts.rulebook import load_rulebook
    from contracts.rulebook.loader import RuleBookError
    from eocms.demo.run import DemoOptions

    try:
        load_rulebook(fiscal_year)
    except (RuleBookError, ValueError) as error:
        raise typer.BadParameter(str(error), param_hint="--fiscal-year") from None
    enable_dev_mode()
    configure_logging("eocms-demo", level="ERROR")
    quiet_libraries()
    options = DemoOptions(
        sites=sites,
        clients=clients,
        fiscal_year=fiscal_year,
        seed=seed,
        data_dir=data_dir,
        output=output,
        keep_data=keep_data,
    )
    console = Console()
    run_and_print(
        options, console, inspect=live_dashboard_until_stopped(console) if keep_running else None
    )


def live_dashboard_until_stopped(console: Console) -> Inspect:
    """An ``inspect`` hook: point at both dashboards, then wait for Ctrl-C before stopping."""

    async def wait(system: RunningSystem, _token: str, result: DemoResult) -> None:
        console.print(f"Dashboard file: {result.dashboard.resolve() if result.dashboard else '-'}")
        console.print(
            f"Live dashboard: {system.urls['reporting']}/dashboard "
            "(development sign-in: choose a role)."
        )
        console.print(
            f"Caseworker front end: {system.urls['web']}/ "
            "(development sign-in: a caseworker of a site). Press Ctrl-C to stop."
        )
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:  # Ctrl-C: stop the services and finish the report
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()

    return wait


def run_and_print(
    options: DemoOptions, console: Console, *, inspect: Inspect | None = None
) -> DemoResult:
    """Run the demo with progress bars, then print the table and the dashboard's path.

    ``inspect`` is called before shutdown with the running system (tests use it
    to ask reporting's API themselves).
    """
    from eocms.demo.run import run_demo
    from eocms.demo.sqs_table import planning_and_compliance_lines, sqs_table

    started = time.perf_counter()
    try:
        with _ProgressObserver(console) as observer:
            result = asyncio.run(_stoppable(run_demo(options, observer=observer, inspect=inspect)))
    except (KeyboardInterrupt, asyncio.CancelledError):
        console.print("[yellow]Interrupted: everything was stopped.[/yellow]")
        raise typer.Exit(130) from None
    except Exception as error:  # a failed demo explains itself in one line, no traceback
        console.print(f"[red]The demo failed: {type(error).__name__}: {error}[/red]")
        raise typer.Exit(1) from None
    elapsed = time.perf_counter() - started
    console.print(sqs_table(result.measures))
    drive = result.drive
    console.print(
        f"{len(result.scenario.province.sites)} sites, {result.scenario.count_clients()} "
        f"clients: {drive.sent} commands sent over HTTP, {len(drive.failures)} refused; "
        f"{elapsed:.0f}s in all (seed {options.seed})."
    )
    for failure in drive.failures[:5]:
        console.print(
            f"[yellow]refused: {failure.step.action} {failure.step.ref} on {failure.step.on}: "
            f"{failure.status} {failure.detail}[/yellow]"
        )
    for line in planning_and_compliance_lines(result):
        console.print(line)
    console.print(f"Dashboard: {result.dashboard.resolve() if result.dashboard else '-'}")
    if drive.failures:
        raise typer.Exit(1)
    return result


async def _stoppable(work: Coroutine[Any, Any, DemoResult]) -> DemoResult:
    """Run ``work``; Ctrl-C or SIGTERM cancels it, so it stops the services on its way out."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        loop.add_signal_handler(signum, task.cancel)
    try:
        return await work
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)


class _ProgressObserver:
    """Draws the run's progress: a bar over the simulated year, then reporting's catch-up."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.phase_task: TaskID | None = None
        self.year_task: TaskID | None = None
        self.settle_task: TaskID | None = None

    def __enter__(self) -> _ProgressObserver:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def phase(self, name: str) -> None:
        text = {
            "simulating": "Simulating the province",
            "starting": "Starting the local broker and the four services",
            "driving": "Services running",
            "settling": "Waiting for reporting to catch up",
            "reporting": "Reading the SQS table and writing the dashboard",
            "stopping": "Stopping everything",
        }.get(name, name)
        if self.phase_task is None:
            self.phase_task = self.progress.add_task(text, total=None)
        else:
            self.progress.update(self.phase_task, description=text)

    def driving(self, total_steps: int) -> None:
        self.year_task = self.progress.add_task("Fiscal year: commands", total=total_steps)

    def month(self, month: str) -> None:
        if self.year_task is not None:
            self.progress.update(self.year_task, description=f"Fiscal year: {month}")

    def step(self) -> None:
        if self.year_task is not None:
            self.progress.advance(self.year_task)

    def settling(self, sites_missing: int, sites: int) -> None:
        if self.settle_task is None:
            self.settle_task = self.progress.add_task("Reporting: sites caught up", total=sites)
        self.progress.update(self.settle_task, completed=sites - sites_missing)
