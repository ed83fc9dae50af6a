"""Programs' Alembic migrations (branch label ``programs``)."""

from pathlib import Path

VERSIONS = Path(__file__).parent / "versions"
"""Pass to ``chassis.migrate.migrate(engine, extra_version_locations=[VERSIONS])``."""
