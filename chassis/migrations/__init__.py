"""Alembic migrations of the chassis tables (branch label ``chassis``)."""
