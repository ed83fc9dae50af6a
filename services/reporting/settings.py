"""Reporting's settings, read from ``REPORTING_*`` environment variables in one place.

Sites reference data (site -> provider, region) comes from ``sites_file``, a
JSON or YAML list of ``{site_id, provider_id, region}``. Without the file (the
embedded default), the sites are those the facts mention, each with provider
and region ``"unknown"``; a file's list is completed the same way with sites
seen in the facts but missing from it.

Rule books come from ``rulebook_directory`` (default: the packaged ones) and
are read once at start; the measures refresher runs every
``refresh_interval_s``.
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
    rulebook_directory: Path | None = Field(
        default=None,
        description="Directory of rule-book files (<fiscal year>.yaml). Unset: the packaged "
        "rule books. A fiscal year whose rule book changed is recomputed at start.",
    )
    refresh_interval_s: float = Field(
        default=0.15,
        gt=0,
        description="Pause between two passes of the measures refresher over dirty site-years.",
    )
    refresh_site_years_per_pass: int = Field(
        default=50,
        ge=1,
        description="Site-years one refresher pass claims at most (one transaction; the next "
        "pass follows at once when a pass was full).",
    )
    release_interval_s: float = Field(
        default=300.0,
        gt=0,
        description="Pause between two releases of the analysts' SQL views: the counts "
        "withheld from analysts recomputed for each fiscal year whose read model changed "
        "(a year changed since is hidden from those views until then). The first release "
        "is one interval after start.",
    )
