"""Reference data on service delivery sites: the provider running each and its region."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field


class Site(BaseModel):
    """A service delivery site, the provider (agency) that runs it and its region."""

    model_config = ConfigDict(frozen=True)

    site_id: str = Field(examples=["S001"])
    provider_id: str = Field(examples=["P01"])
    region: str = Field(examples=["central"])


def sites_of_provider(sites: Iterable[Site], provider_id: str) -> list[str]:
    """Ids of a provider's sites."""
    return sorted(site.site_id for site in sites if site.provider_id == provider_id)


def sites_of_region(sites: Iterable[Site], region: str) -> list[str]:
    """Ids of a region's sites."""
    return sorted(site.site_id for site in sites if site.region == region)
