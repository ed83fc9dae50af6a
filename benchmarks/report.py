"""The results table: figures, ratios to the references, targets met or not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table

from benchmarks.measure import Measurement


@dataclass(frozen=True)
class Row:
    """One figure of the table and what it is compared with."""

    key: str
    label: str
    section: str
    compare_library: str | None = None
    compare_raw: str | None = None
    broker: bool = False


@dataclass(frozen=True)
class Target:
    """A goal on one row: ``check(results)`` gives (met, what was compared)."""

    key: str
    text: str
    check: Callable[[Results], tuple[bool | None, str]]
    """(met, detail); met is None when a figure it needs was not measured."""


@dataclass
class Results:
    """Every figure of a run, by row key, with the run's context."""

    measurements: dict[str, Measurement] = field(default_factory=dict)
    samples: dict[str, list[float]] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)

    def rate(self, key: str) -> float:
        """Events per second of a row (0 if it was not measured)."""
        m = self.measurements.get(key)
        return m.rate if m else 0.0

    def ratio(self, key: str, other: str) -> float | None:
        """How many times ``other``'s rate ``key`` reached; None if either is missing.

        With several rounds, the median of the per-round ratios: the two rows
        of a round ran back to back, so each ratio compares like conditions
        on a machine whose load changes over a run.
        """
        if key not in self.measurements or other not in self.measurements:
            return None
        ours, theirs = self.samples.get(key, []), self.samples.get(other, [])
        if len(ours) > 1 and len(ours) == len(theirs) and all(theirs):
            ratios = sorted(a / b for a, b in zip(ours, theirs, strict=True))
            return ratios[(len(ratios) - 1) // 2]
        base = self.rate(other)
        return self.rate(key) / base if base else None


def at_least(key: str, floor: float) -> Target:
    """Target: the row's rate is at least ``floor`` events/s."""

    def check(results: Results) -> tuple[bool | None, str]:
        if key not in results.measurements:
            return None, "not measured"
        rate = results.rate(key)
        return rate >= floor, f"{rate / floor:.2f}x of target"

    return Target(key, f"≥ {floor:,.0f}/s", check)


def ratio_at_least(key: str, other: str, factor: float, name: str) -> Target:
    """Target: the row's rate is at least ``factor`` times another row's."""

    def check(results: Results) -> tuple[bool | None, str]:
        ratio = results.ratio(key, other)
        if ratio is None:
            return None, f"no {name} figure"
        return ratio >= factor, f"{ratio:.2f}x {name}"

    return Target(key, f"≥ {factor:g}x {name}", check)


def server_cpu_at_most(key: str, ms: float) -> Target:
    """Target: the server process spends at most ``ms`` of CPU per event (command)."""

    def check(results: Results) -> tuple[bool | None, str]:
        m = results.measurements.get(key)
        if m is None or not m.server_cpu_s:
            return None, "not measured"
        per = m.server_cpu_ms_per_event
        return per <= ms, f"{per:.2f} ms CPU/cmd"

    return Target(key, f"≤ {ms:g} ms CPU/cmd", check)


def _ratio(results: Results, key: str, other: str | None) -> str:
    ratio = results.ratio(key, other) if other else None
    return "" if ratio is None else f"{ratio:.2f}x"


def build_table(rows: list[Row], targets: list[Target], results: Results) -> Table:
    """The rich table of a run: one line per measured row, grouped by section."""
    rounds = results.context.get("config", {}).get("repeat", 1)
    table = Table(
        title="EOCMS benchmarks (events/s, higher is better)",
        caption=(
            f"events/s: median of {rounds} round(s); vs es / vs raw: median of the per-round"
            " ratios to the row run next to it; per CPU-s: events per CPU-second of this"
            " process + PostgreSQL (+ broker); other: CPU of other processes on the host"
        ),
        show_lines=False,
    )
    table.add_column("Measurement", no_wrap=True)
    table.add_column("events/s", justify="right", no_wrap=True)
    table.add_column("per CPU-s", justify="right", no_wrap=True)
    table.add_column("vs es", justify="right", no_wrap=True)
    table.add_column("vs raw", justify="right", no_wrap=True)
    table.add_column("target", no_wrap=True)
    table.add_column("met?", no_wrap=True)
    table.add_column("CPU % (200 = 2 cores)", no_wrap=True)
    section = None
    by_key: dict[str, list[Target]] = {}
    for target in targets:
        by_key.setdefault(target.key, []).append(target)
    for row in rows:
        m = results.measurements.get(row.key)
        if m is None:
            continue
        if row.section != section:
            section = row.section
            table.add_section()
            table.add_row(f"[bold]{section}[/bold]")
        texts, verdicts = [], []
        for target in by_key.get(row.key, []):
            met, detail = target.check(results)
            texts.append(target.text)
            verdicts.append(
                f"[green]met[/green] {detail}" if met else f"[red]not met[/red] {detail}"
            )
        table.add_row(
            row.label,
            f"{m.rate:,.0f}",
            f"{m.per_cpu_second:,.0f}",
            _ratio(results, row.key, row.compare_library),
            _ratio(results, row.key, row.compare_raw),
            "\n".join(texts),
            "\n".join(verdicts),
            m.cpu.describe(broker=row.broker),
        )
    return table


def verdict_markup(met: bool | None) -> str:
    """Met / not met / n/a, coloured for rich."""
    if met is None:
        return "[yellow]n/a[/yellow]"
    return "[green]met[/green]" if met else "[red]not met[/red]"


def target_summary(targets: list[Target], results: Results) -> list[tuple[str, bool | None, str]]:
    """(row key and target, met, detail) for every target whose row was measured."""
    summary = []
    for target in targets:
        if target.key in results.measurements:
            met, detail = target.check(results)
            summary.append((f"{target.key} {target.text}", met, detail))
    return summary


def as_json(rows: list[Row], targets: list[Target], results: Results) -> dict[str, Any]:
    """The run as plain data (for ``--json``): context, figures, targets."""
    figures = {}
    for row in rows:
        m = results.measurements.get(row.key)
        if m is None:
            continue
        figures[row.key] = {
            "label": row.label,
            "events_per_s": round(m.rate, 1),
            "events_per_cpu_s": round(m.per_cpu_second, 1),
            "rounds_events_per_s": [round(r, 1) for r in results.samples.get(row.key, [m.rate])],
            "events": m.events,
            "seconds": round(m.seconds, 3),
            "operations": m.operations,
            "cpu_percent": {
                "python": round(m.cpu.python, 1),
                "postgres": round(m.cpu.postgres, 1),
                "broker": round(m.cpu.broker, 1),
                "host": round(m.cpu.host, 1),
                "other": round(m.cpu.other, 1),
            },
        }
    return {
        "context": results.context,
        "figures": figures,
        "targets": [
            {"target": name, "met": met, "detail": detail}
            for name, met, detail in target_summary(targets, results)
        ],
    }
