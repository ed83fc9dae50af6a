"""Intake's own tables (SQLAlchemy Core); Alembic revisions under ``migrations/`` create them."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

client_keys = sa.Table(
    "client_keys",
    metadata,
    sa.Column("client_id", sa.String(36), primary_key=True),
    sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
    sa.Column("key_version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
"""Each client's data key, wrapped (AES-GCM) with the master key. Deleting a row shreds."""

client_personal_details = sa.Table(
    "client_personal_details",
    metadata,
    sa.Column("client_id", sa.String(36), primary_key=True),
    sa.Column("nonce", sa.LargeBinary, nullable=False),
    sa.Column("ciphertext", sa.LargeBinary, nullable=False),
    sa.Column("key_version", sa.Integer, nullable=False),
)
"""Personal details encrypted with the client's data key, bound to ``client_id``."""

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
