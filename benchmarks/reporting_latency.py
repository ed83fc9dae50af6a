"""Latency figures: percentiles of request or freshness times, and ``/sqs`` for all sites.

``/sqs`` is timed against the reporting service running as ``eocms serve
reporting`` over the database the projection (and the refresh) filled: one
ministry analyst asks ``GET /sqs?fiscal_year=...`` (every site, the province
roll-up; ``ytd`` to today) ``requests`` times in a row over one keep-alive
connection, after a few untimed warm-up requests. Each time is from sending
the request to having read the whole body.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import httpx

from benchmarks.measure import CpuShare, CpuWatch

WARMUP_REQUESTS = 5


@dataclass(frozen=True)
class Latencies:
    """Sorted sample times in milliseconds, with the CPU spent while they were taken."""

    samples_ms: tuple[float, ...]
    seconds: float
    cpu: CpuShare
    note: str = ""

    @classmethod
    def of(
        cls, samples_ms: list[float], seconds: float, cpu: CpuShare, note: str = ""
    ) -> Latencies:
        """Latencies from unsorted samples."""
        return cls(tuple(sorted(samples_ms)), seconds, cpu, note)

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile (nearest rank); 0 without samples."""
        if not self.samples_ms:
            return 0.0
        rank = max(1, math.ceil(p / 100 * len(self.samples_ms)))
        return self.samples_ms[rank - 1]

    @property
    def count(self) -> int:
        """How many samples."""
        return len(self.samples_ms)


async def measure_sqs(
    base_url: str,
    headers: dict[str, str],
    fiscal_year: str,
    requests: int,
    watch: CpuWatch,
    *,
    expected_sites: int,
) -> Latencies:
    """Time ``requests`` sequential ``GET /sqs`` for all sites; checks each answer's size."""
    samples: list[float] = []
    params = {"fiscal_year": fiscal_year}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60.0) as http:
        for _ in range(WARMUP_REQUESTS):
            _check(await http.get("/sqs", params=params), expected_sites)
        started, cpu_start = time.perf_counter(), watch.sample()
        size = 0
        for _ in range(requests):
            sent = time.perf_counter()
            answer = await http.get("/sqs", params=params)
            samples.append((time.perf_counter() - sent) * 1000)
            size = len(answer.content)
            _check(answer, expected_sites)
        elapsed, cpu_end = time.perf_counter() - started, watch.sample()
    note = f"{expected_sites} sites, {size / 1024:.0f} KiB per answer"
    return Latencies.of(samples, elapsed, CpuShare.between(cpu_start, cpu_end, elapsed), note)


def _check(answer: httpx.Response, expected_sites: int) -> None:
    if answer.status_code != 200:
        raise RuntimeError(f"/sqs answered {answer.status_code}: {answer.text[:300]}")
    sites = len(answer.json()["sites"])
    if sites != expected_sites:
        raise RuntimeError(f"/sqs listed {sites} sites, expected {expected_sites}")
