"""Tuning of a projection runner; the defaults suit the local broker and production."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MAX_BATCH_RECORDS = 5000
"""A batch's progress rows must fit one statement's bind parameters (see progress_table)."""


@dataclass(frozen=True, slots=True)
class ConsumerOptions:
    """How a :class:`~chassis.consumer.runner.ProjectionRunner` fetches and retries."""

    max_records: int = 1000
    """Records per batch, at most; one database transaction each."""
    batch_timeout_ms: int = 200
    """How long a fetch waits for records when none are ready."""
    auto_offset_reset: Literal["earliest", "latest"] = "earliest"
    """Where a new consumer group starts: a new projection reads topics from the start."""
    topic_partitions: int = 3
    """Partitions of the source and dead-letter topics the runner creates if missing."""
    retry_initial_s: float = 0.1
    """Pause before a failed batch is fetched again; doubles per failure ..."""
    retry_max_s: float = 5.0
    """... up to this."""
    client_id: str = "eocms"

    def __post_init__(self) -> None:
        if not 1 <= self.max_records <= MAX_BATCH_RECORDS:
            raise ValueError(f"max_records must be between 1 and {MAX_BATCH_RECORDS}")
        if self.retry_initial_s <= 0 or self.retry_max_s < self.retry_initial_s:
            raise ValueError("need 0 < retry_initial_s <= retry_max_s")
