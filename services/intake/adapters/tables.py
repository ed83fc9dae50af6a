"""Intake's own tables (SQLAlchemy Core); Alembic revisions under ``migrations/`` create them."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

client_personal_details = sa.Table(
    "client_personal_details",
    metadata,
    sa.Column("client_id", sa.String(36), primary_key=True),
    sa.Column("nonce", sa.LargeBinary, nullable=False),
    sa.Column("ciphertext", sa.LargeBinary, nullable=False),
    sa.Column("key_version", sa.Integer, nullable=False),
)
"""Personal details encrypted with the client's data key, bound to ``client_id``.

The data keys are not in this database: see :mod:`.key_store`."""

client_directory = sa.Table(
    "client_directory",
    metadata,
    sa.Column("client_id", sa.String(36), primary_key=True),
    sa.Column("site_id", sa.String(64), nullable=False),
)
"""Which site each client belongs to, for site scoping before loading a stream."""

client_search_index = sa.Table(
    "client_search_index",
    metadata,
    sa.Column("client_id", sa.String(36), primary_key=True),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("registered_on", sa.Date, nullable=False),
    sa.Column("reference", sa.String(20), nullable=False, index=True),
    sa.Column("key_id", sa.String(64), nullable=False),
    sa.Column("family_digest", sa.String(64), nullable=False, index=True),
    sa.Column("full_name_digest", sa.String(64), nullable=False, index=True),
    sa.Column("birth_digest", sa.String(64), nullable=False, index=True),
)
"""The blind index: keyed HMACs of each client's normalised names and birth date.

The key (``INTAKE_SEARCH_INDEX_KEY``) is not a data key: it cannot decrypt
anything, and the digests alone do not reveal a name without it. Erasure
deletes the row with the client's key.
"""

personal_data_reads = sa.Table(
    "personal_data_reads",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(36), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("correlation_id", sa.String(36), nullable=False),
)
"""Who was shown which client's personal details, and when (never the details)."""
