"""Opaque cursors for keyset pagination, shared by every list route.

A list is ordered by a sort key that ends with a unique id, e.g.
``(opened_on, plan_id)``. A page answers at most ``limit`` rows whose key
is after the cursor's, and a ``next_cursor`` holding the last row's key.
Because the next page starts *after a key* and not at an offset, rows
inserted while a caller pages through never shift, duplicate or hide the
rows it has not read yet; a new row appears if its key sorts after the
cursor.

The cursor is the key's values as JSON, base64url-encoded, tagged with the
list's name so a cursor of one list is refused by another. It is opaque to
callers (they only send it back); it is not secret and not signed: a forged
cursor only moves the start of a list the caller may read anyway. A cursor
that does not decode is a 422 ``/problems/invalid-cursor``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel, BeforeValidator, Field

from chassis.http.problems import ProblemException, ProblemType

Row = TypeVar("Row")

INVALID_CURSOR = ProblemType(
    "/problems/invalid-cursor", "The cursor is not one this list handed out", 422
)


def _iso_date_text(value: Any) -> Any:
    if not isinstance(value, str) or len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


IsoDateQuery = Annotated[
    date, BeforeValidator(_iso_date_text), Query(description="A date, YYYY-MM-DD.")
]
"""A list filter's date: ISO text only (``0`` or a timestamp is a 422, not 1970-01-01)."""

CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"
"""A cursor's alphabet: base64url without padding. Whether it decodes to a key of the
list is the server's to say (a 422 ``/problems/invalid-cursor``): no schema can."""

PageSize = Annotated[
    int, Query(ge=1, le=200, description="At most this many rows in the page (1-200).")
]
CursorParam = Annotated[
    str | None,
    Query(
        max_length=512,
        pattern=CURSOR_PATTERN,
        description="`next_cursor` of the previous page; omit for the first page.",
    ),
]


class Page(BaseModel, Generic[Row]):
    """One page of a list: its rows and the cursor of the next page (null at the end)."""

    items: list[Row]
    next_cursor: str | None = Field(
        description="Send as `cursor` to read the next page; null when this is the last page."
    )


def encode_cursor(list_name: str, key: Sequence[Any]) -> str:
    """The opaque cursor after ``key`` in list ``list_name``."""
    values = [_plain(value) for value in key]
    raw = json.dumps([list_name, values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(list_name: str, cursor: str | None, types: Sequence[type]) -> tuple | None:
    """The key a cursor of ``list_name`` holds, typed; None without a cursor."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, values = json.loads(raw)
        if name != list_name or len(values) != len(types):
            raise ValueError("cursor of another list")
        return tuple(_typed(kind, value) for kind, value in zip(types, values, strict=True))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
        raise ProblemException(INVALID_CURSOR, "Send back a next_cursor unchanged.") from error


def next_cursor(list_name: str, rows: Sequence[Any], limit: int, key_of) -> str | None:  # type: ignore[no-untyped-def]
    """The cursor after the last row when ``rows`` (fetched with ``limit + 1``) has more."""
    if len(rows) <= limit:
        return None
    return encode_cursor(list_name, key_of(rows[limit - 1]))


def _plain(value: Any) -> Any:
    if isinstance(value, UUID | date):
        return str(value)
    return value


def _typed(kind: type, value: Any) -> Any:
    if value is None:
        return None
    if kind is UUID:
        return UUID(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str):
        return value
    raise ValueError(f"bad cursor value {value!r}")
