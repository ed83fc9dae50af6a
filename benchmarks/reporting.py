"""``python -m benchmarks.reporting``: reporting's figures, with targets, optionally as JSON.

    .venv/bin/python -m benchmarks.reporting [--scale 1.0] [--sites N] [--clients N]
        [--only throughput,rebuild,sqs,freshness] [--rate 200] [--duration 30]
        [--sqs-requests 200] [--history-clients 500] [--postgres-url URL] [--json out.json]

Generates a deterministic synthetic province (400 sites, 200,000 clients,
about 3 million events at ``--scale 1``) onto a local broker it starts, and
measures on fresh databases it creates and drops: the facts projection against
plain aiokafka consume, the rebuild, ``/sqs`` for every site, and the
freshness of ``/measures`` under a steady command load (with its own broker
and services). ``--scale 0.01 --duration 5`` is a quick look.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from rich.console import Console

from benchmarks.database import DEFAULT_ADMIN_URL
from benchmarks.reporting_freshness import FreshnessConfig
from benchmarks.reporting_suite import (
    SUBJECTS,
    ReportingConfig,
    ReportingRunner,
    as_json,
    build_table,
)
from chassis.logging import configure_logging


def parse_args(argv: list[str] | None = None) -> tuple[ReportingConfig, Path | None]:
    """The command line as a :class:`ReportingConfig`, and the optional JSON path."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.reporting",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--scale", type=float, default=1.0, help="province size (1 = 400 sites)")
    parser.add_argument("--sites", type=int, help="sites, overriding the scale")
    parser.add_argument("--clients", type=int, help="clients, overriding the scale")
    parser.add_argument(
        "--only", default=",".join(SUBJECTS), help=f"comma-separated subset of {','.join(SUBJECTS)}"
    )
    parser.add_argument("--max-records", type=int, default=1000, help="projection batch size")
    parser.add_argument("--sqs-requests", type=int, default=200, help="sequential GET /sqs")
    parser.add_argument("--rate", type=float, default=200.0, help="freshness: commands per second")
    parser.add_argument("--duration", type=float, default=30.0, help="freshness: seconds of load")
    parser.add_argument("--load-sites", type=int, default=20, help="freshness: sites of the load")
    parser.add_argument(
        "--history-clients",
        type=int,
        default=500,
        help="freshness: clients per site in the sites' history (0: none)",
    )
    parser.add_argument("--poll-ms", type=float, default=50.0, help="freshness: probe polling")
    parser.add_argument("--postgres-url", default=DEFAULT_ADMIN_URL, help="server's maintenance db")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    subjects = tuple(s.strip() for s in args.only.split(",") if s.strip())
    unknown = set(subjects) - set(SUBJECTS)
    if unknown:
        parser.error(f"unknown subjects: {', '.join(sorted(unknown))}")
    config = ReportingConfig(
        scale=args.scale,
        sites=args.sites,
        clients=args.clients,
        subjects=subjects,
        admin_url=args.postgres_url,
        max_records=args.max_records,
        sqs_requests=args.sqs_requests,
        freshness=FreshnessConfig(
            rate=args.rate,
            duration_s=args.duration,
            load_sites=args.load_sites,
            poll_ms=args.poll_ms,
            background_clients_per_site=args.history_clients,
        ),
    )
    return config, args.json


def main(argv: list[str] | None = None) -> int:
    """Run the reporting benchmarks and print the table; 0 whether or not targets are met."""
    config, json_path = parse_args(argv)
    configure_logging("benchmarks", level="WARNING", fmt="console")
    console = Console()
    if not console.is_terminal:
        console = Console(width=220)
    results = asyncio.run(ReportingRunner(config, console).run())
    console.print(build_table(results))
    context = results.context
    console.print(
        f"Machine: {context['cpus']} CPUs ({context['cpu_model']}), "
        f"{context['memory_gib']} GiB, Python {context['python']}"
    )
    if json_path is not None:
        json_path.write_text(json.dumps(as_json(results), indent=2) + "\n")
        console.print(f"Results written to {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
