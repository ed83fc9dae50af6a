"""Refusals of the use cases that are not domain rules."""

from __future__ import annotations

from datetime import date
from uuid import UUID


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


class NoRuleBookForDate(LookupError):
    """No rule book is kept for the fiscal year the date falls in."""

    def __init__(self, fiscal_year: str, day: date) -> None:
        self.fiscal_year, self.day = fiscal_year, day
        super().__init__(f"no rule book is kept for fiscal year {fiscal_year} (the date {day})")
