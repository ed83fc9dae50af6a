"""The shape of a Kafka record as the consumer code reads it.

aiokafka's ``ConsumerRecord`` satisfies :class:`KafkaRecord`; so does any
small dataclass a test builds. Keys, values and headers stay raw bytes, so a
record can be dead-lettered and replayed byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

Headers = Sequence[tuple[str, bytes]]


class KafkaRecord(Protocol):
    """One consumed record: where it was read and what it carries."""

    @property
    def topic(self) -> str: ...

    @property
    def partition(self) -> int: ...

    @property
    def offset(self) -> int: ...

    @property
    def key(self) -> bytes | None: ...

    @property
    def value(self) -> bytes | None: ...

    @property
    def headers(self) -> Headers: ...
