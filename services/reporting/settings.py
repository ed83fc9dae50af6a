"""Reporting's settings, read from ``REPORTING_*`` environment variables in one place.

Sites reference data (site -> provider, region) comes from ``sites_file``, a
JSON or YAML list of ``{site_id, provider_id, region}``. Without the file (the
embedded default), the sites are those the facts mention, each with provider
and region ``"unknown"``; a file's list is completed the same way with sites
seen in the facts but missing from it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from chassis.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    """Where reporting keeps its facts, its consumer group and its sites reference."""

    model_config = SettingsConfigDict(env_prefix="REPORTING_", extra="ignore")

    service_name: str = "reporting"
    facts_group: str = Field(
        default="reporting.facts",
        description="Consumer group of the facts projection (intake, caseload, programs).",
    )
    sites_file: Path | None = Field(
        default=None,
        description="JSON or YAML list of sites (site_id, provider_id, region). Unset: "
        "the sites the facts mention, with provider and region 'unknown'.",
    )
    time_zone: str = Field(
        default="America/Toronto", description="IANA time zone of 'today' for year-to-date."
    )
