"""How the runner's FastStream subscriber turns a fetched batch into handler input.

The handler wants the raw aiokafka records: it decodes them itself, and dead
letters must carry the original bytes. Two FastStream defaults get in the way:

- the default decoder JSON-parses every value, work the handler repeats;
- the default parser decodes every header as UTF-8 and raises on anything
  else. A parser error is neither acked nor nacked, so the consumer position
  moves past the whole batch and its good records are never applied.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import ConsumerRecord
from faststream.message import StreamMessage

Batch = tuple[ConsumerRecord, ...]


async def parse_batch_leniently(
    records: Batch, default_parser: Callable[[Batch], Awaitable[StreamMessage[Batch]]]
) -> StreamMessage[Batch]:
    """FastStream's batch parser, tolerant of headers that are not UTF-8.

    Such headers are left out of the parsed message's header dict (used only
    for logging and reply routing); ``raw_message`` keeps the original records.
    """
    try:
        return await default_parser(records)
    except UnicodeDecodeError:
        message = await default_parser(tuple(_with_text_headers(r) for r in records))
        message.raw_message = records
        return message


async def raw_records(message: StreamMessage[Batch]) -> Batch:
    """Hand the handler the fetched records untouched."""
    return message.raw_message


def _with_text_headers(record: ConsumerRecord[Any, Any]) -> ConsumerRecord[Any, Any]:
    return dataclasses.replace(
        record, headers=tuple((k, v) for k, v in record.headers if _is_utf8(v))
    )


def _is_utf8(value: bytes) -> bool:
    try:
        value.decode()
    except UnicodeDecodeError:
        return False
    return True
