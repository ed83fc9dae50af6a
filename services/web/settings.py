"""The front end's settings, read from ``CASEWORKER_WEB_*`` environment variables in one place."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class CaseworkerWebSettings(BaseSettings):
    """Where the services are, and what the development sign-in page offers."""

    model_config = SettingsConfigDict(env_prefix="CASEWORKER_WEB_", extra="ignore")

    service_name: str = "web"
    intake_url: str = Field(default="http://127.0.0.1:8001", description="Intake's base URL.")
    caseload_url: str = Field(default="http://127.0.0.1:8002", description="Caseload's base URL.")
    programs_url: str = Field(default="http://127.0.0.1:8003", description="Programs' base URL.")
    reporting_url: str = Field(
        default="http://127.0.0.1:8004", description="Reporting's base URL (the dashboard link)."
    )
    dev_sites: str = Field(
        default="S001,S002,S003",
        description="Sites the development sign-in form offers, comma-separated.",
    )
    request_timeout_s: float = Field(default=10.0, gt=0, description="Per call to a service.")
    log_level: str = Field(default="INFO")
    log_format: str = Field(default="auto", description="json, console or auto.")

    @field_validator("intake_url", "caseload_url", "programs_url", "reporting_url")
    @classmethod
    def _an_http_address(cls, value: str) -> str:
        """A service's base URL: ``http(s)://host[:port][/path]`` (refused at startup otherwise)."""
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"expected http://host:port or https://host, got {value!r}")
        return value
