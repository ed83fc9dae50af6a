"""``python -m benchmarks``: measure, print the table and the targets, optionally save JSON.

    .venv/bin/python -m benchmarks [--scale 1.0] [--duration 2] [--repeat 3] [--writers 8]
        [--batch-size 100] [--relay-events 100000] [--only append,eventsourcing,raw,relay,commands]
        [--postgres-url postgresql://postgres@127.0.0.1:5432/postgres] [--json out.json]

Creates ``eocms_bench_<random>`` (and ``..._es``) on the server, starts its own
local broker, and drops and stops both at the end. The database figures run in
``--repeat`` interleaved rounds and the table shows medians. A full run takes
about four minutes on 2 cores; ``--scale 0.1 --repeat 1`` gives a quick, noisy look.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from rich.console import Console

from benchmarks.database import DEFAULT_ADMIN_URL
from benchmarks.report import as_json, build_table, target_summary, verdict_markup
from benchmarks.suite import SUBJECTS, Config, Runner, row_plan, target_plan
from chassis.logging import configure_logging


def parse_args(argv: list[str] | None = None) -> tuple[Config, Path | None]:
    """The command line as a :class:`Config`, and the optional JSON output path."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies durations and sizes")
    parser.add_argument(
        "--duration",
        type=float,
        default=2.0,
        help="timed seconds per figure and round (times scale)",
    )
    parser.add_argument("--writers", type=int, default=8, help="concurrent writers (the N)")
    parser.add_argument("--batch-size", type=int, default=100, help="events per batch append")
    parser.add_argument(
        "--relay-events", type=int, default=100_000, help="outbox size for the relay (times scale)"
    )
    parser.add_argument(
        "--only",
        default=",".join(SUBJECTS),
        help=f"comma-separated subset of {','.join(SUBJECTS)}",
    )
    parser.add_argument(
        "--postgres-url", default=DEFAULT_ADMIN_URL, help="server's maintenance database"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="rounds of the database figures, interleaved; the table shows each row's median",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    subjects = tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = set(subjects) - set(SUBJECTS)
    if unknown:
        parser.error(f"unknown subjects: {', '.join(sorted(unknown))}")
    config = Config(
        scale=args.scale,
        duration_s=args.duration,
        writers=args.writers,
        batch_size=args.batch_size,
        relay_events=args.relay_events,
        copy_batches=tuple(sorted({args.batch_size, 1000, 10_000})),
        admin_url=args.postgres_url,
        subjects=subjects,
        repeat=max(1, args.repeat),
    )
    return config, args.json


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the results; 0 whether or not targets are met."""
    config, json_path = parse_args(argv)
    configure_logging("benchmarks", level="WARNING", fmt="console")
    console = Console()
    if not console.is_terminal:
        console = Console(width=200)  # a log file or CI: keep the table on one line per row
    runner = Runner(config, console)
    results = asyncio.run(runner.run())
    rows, targets = row_plan(config), target_plan(config)
    console.print(build_table(rows, targets, results))
    context = results.context
    console.print(
        f"Machine: {context['cpus']} CPUs ({context['cpu_model']}), "
        f"{context['memory_gib']} GiB, Python {context['python']}; "
        f"record value ≈ {context.get('record_value_bytes', '?')} bytes"
    )
    console.print("[bold]Targets[/bold]")
    for name, met, detail in target_summary(targets, results):
        console.print(f"  {verdict_markup(met)}  {name}  ({detail})")
    if json_path is not None:
        json_path.write_text(json.dumps(as_json(rows, targets, results), indent=2) + "\n")
        console.print(f"Results written to {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
