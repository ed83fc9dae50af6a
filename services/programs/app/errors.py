"""Refusals of the use cases that are not domain rules."""

from __future__ import annotations

from uuid import UUID

from contracts.rulebook import NoRuleBookForDate

__all__ = ["BusinessPlanExists", "NoRuleBookForDate", "ResourceMissing"]


class ResourceMissing(LookupError):
    """No application, project, participation or plan has this id."""

    def __init__(self, what: str, resource_id: UUID) -> None:
        self.what, self.resource_id = what, resource_id
        super().__init__(f"no {what} {resource_id}")


class BusinessPlanExists(Exception):
    """A site has one business plan per fiscal year: revise it instead."""

    def __init__(self, site_id: str, fiscal_year: str) -> None:
        self.site_id, self.fiscal_year = site_id, fiscal_year
        super().__init__(f"{site_id} already has a business plan for {fiscal_year}")
