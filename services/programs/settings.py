"""Programs' settings, read from ``PROGRAMS_*`` environment variables in one place."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from chassis.settings import ServiceSettings


class ProgramsSettings(ServiceSettings):
    """Where programs keeps its store, and the calendar its rules read "today" from."""

    model_config = SettingsConfigDict(env_prefix="PROGRAMS_", extra="ignore")

    service_name: str = "programs"
    known_clients_group: str = Field(
        default="programs.known-clients",
        description="Consumer group of the projection of intake's registrations.",
    )
    service_plans_group: str = Field(
        default="programs.service-plans",
        description="Consumer group of the projection of caseload's ES plans (self-employment "
        "plans for SEB, referrals out to Second Career).",
    )
