"""The dashboard's compliance part: reporting's compliance worklist for the caller's sites.

:func:`dashboard_compliance` is what ``install_dashboard(compliance=...)`` plugs
into the dashboard (``dashboard.ComplianceWorklist``): the flags of
``GET /compliance`` (:func:`~services.reporting.app.compliance.compliance_worklist`)
as of a day, for the sites the caller may see, as items the page lists:

- ``follow_ups_due``, ``follow_ups_missed``, ``inactive_plans`` with a ``count``
  (for ministry analysts the small counts and their complements are null, as
  ``/compliance`` answers them: :func:`~services.reporting.app.compliance.analyst_counts`;
  a null count is listed, so whether it was 0 does not show);
- ``low_response_rate`` per component under the gate (``numerator`` responses /
  ``denominator`` assisted exits, ``actual_percent``);
- ``business_plan_missing``: no approved business plan for the year (with the
  planning calendar's ``due_on`` when the rule book has one).

- ``business_plan_late`` (first submitted after the deadline) and
  ``business_plan_not_submitted`` (none submitted by the deadline), with the
  rule book's ``consequence`` and ``due_on`` (:mod:`.business_planning`).

``business_plans`` gives each site's plan status in the planning cycle, judged
as ``/business-planning`` judges it (now, or the end of a past as-of day):
``not-submitted``, ``submitted-on-time``, ``submitted-late``, ``in-review``,
``returned-for-revision`` or ``approved``; in a year without a planning
calendar, ``approved`` or ``not-approved``.

:func:`summarise_compliance` then gives every scope of the document its
``compliance`` summary (sites listed and total count per kind, null when a count
summed is null), after any document filter has run.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import Any

from fastapi import Request

from chassis.http import Principal, Role
from services.reporting.app.answer_cache import GenerationCache
from services.reporting.app.compliance import (
    COUNTED_FLAGS,
    analyst_counts,
    compliance_worklist,
)
from services.reporting.app.queries import InvalidReportQuery, rulebook_for
from services.reporting.domain import Site, rounded
from services.reporting.domain.compliance import SiteCompliance
from services.reporting.entrypoints.business_planning import judged_now, plan_views
from services.reporting.entrypoints.dashboard_planning import plan_status_text, planning_items
from services.reporting.entrypoints.dependencies import repository, visible_sites

Rows = list[tuple[Site, SiteCompliance]]


def _previous(fiscal_year: str) -> str:
    start = int(fiscal_year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _analyst_only(principal: Principal) -> bool:
    """Ministry analysts see suppressed counts (as ``/compliance`` answers them)."""
    return Role.MINISTRY_ANALYST in principal.roles and not principal.has_any_role(
        {Role.ADMIN, Role.SITE_MANAGER, Role.MINISTRY_CONSULTANT}
    )


def _cache(request: Request) -> GenerationCache[Rows]:
    state = request.app.state
    if getattr(state, "dashboard_compliance_rows", None) is None:
        state.dashboard_compliance_rows = GenerationCache[Rows](max_entries=64)
    return state.dashboard_compliance_rows  # type: ignore[no-any-return]


async def _rows(request: Request, principal: Principal, fiscal_year: str, as_of: date) -> Rows:
    """The worklist's rows, reused until the read model of the year (or the year before,
    whose exits have follow-ups in this one) changes."""
    read_model = repository(request)
    visible = visible_sites(principal)
    key: Hashable = (fiscal_year, as_of, None if visible is None else frozenset(visible))
    generation = (
        await read_model.generation(fiscal_year),
        await read_model.generation(_previous(fiscal_year)),
    )

    async def compute() -> Rows:
        return await compliance_worklist(
            read_model, fiscal_year, as_of=as_of, visible_sites=visible
        )

    return await _cache(request).get(key, generation, compute)


def compliance_items(
    rows: Rows, counts: list[dict[str, int | None]], due_on: date | None
) -> list[dict[str, Any]]:
    """The items listed for ``rows`` with the counts shown (``counts``, row by row)."""
    items: list[dict[str, Any]] = []
    for (site, flags), shown in zip(rows, counts, strict=True):
        scope = f"site:{site.site_id}"
        for kind in COUNTED_FLAGS:
            if shown[kind] is None or shown[kind]:
                items.append({"kind": kind, "scope": scope, "count": shown[kind]})
        for rate in flags.low_response_rates:
            items.append(
                {
                    "kind": "low_response_rate",
                    "scope": scope,
                    "component": rate.scope,
                    "numerator": rate.responded,
                    "denominator": rate.exited,
                    "actual_percent": None
                    if rate.rate is None
                    else float(rounded(rate.rate * 100, 1)),
                }
            )
        if flags.business_plan_missing:
            items.append(
                {
                    "kind": "business_plan_missing",
                    "scope": scope,
                    "due_on": None if due_on is None else due_on.isoformat(),
                }
            )
    return items


async def dashboard_compliance(
    request: Request, principal: Principal, fiscal_year: str, as_of: date
) -> dict[str, Any] | None:
    """The caller's compliance part of the dashboard document as of ``as_of`` (None before
    the fiscal year begins)."""
    try:
        rows = await _rows(request, principal, fiscal_year, as_of)
    except InvalidReportQuery:
        return None
    if _analyst_only(principal):
        counts = await analyst_counts(repository(request), fiscal_year, rows)
    else:
        counts = [
            {
                "follow_ups_due": flags.follow_ups_due,
                "follow_ups_missed": flags.follow_ups_missed,
                "inactive_plans": len(flags.inactive_plans),
            }
            for _, flags in rows
        ]
    rulebook = await rulebook_for(repository(request), fiscal_year)
    calendar = None if rulebook.programs is None else rulebook.programs.business_plans.calendar
    due_on = None if calendar is None else calendar.due_on
    plans = await plan_views(request, fiscal_year, judged_now(request, as_of), rows)
    return {
        "as_of": as_of.isoformat(),
        "items": compliance_items(rows, counts, due_on) + planning_items(rows, plans, due_on),
        "business_plans": {
            f"site:{site.site_id}": plan_status_text(plans.get(site.site_id), flags)
            for site, flags in rows
        },
    }


def _scope_sites(document: dict[str, Any]) -> dict[str, list[str]]:
    """The site scopes each scope sums (by the sites' provider and region)."""
    scopes = document["scopes"]
    sites = {k: v for k, v in scopes.items() if v["level"] == "site"}
    answer = {}
    for key, node in scopes.items():
        level, name = node["level"], node["name"]
        if level == "site":
            answer[key] = [key]
        elif level == "provider":
            answer[key] = [k for k, s in sites.items() if s["provider_id"] == name]
        elif level == "region":
            answer[key] = [k for k, s in sites.items() if s["region"] == name]
        else:
            answer[key] = list(sites)
    return answer


def summarise_compliance(document: dict[str, Any]) -> None:
    """Give every scope its ``compliance``: per kind, the sites listed and the total count
    (null when a count summed is null); and its business plans approved out of its sites."""
    compliance = document.get("compliance")
    if not compliance:
        return
    by_site: dict[str, list[dict[str, Any]]] = {}
    for item in compliance["items"]:
        by_site.setdefault(item.get("scope") or "", []).append(item)
    plans = compliance.get("business_plans", {})
    for key, site_keys in _scope_sites(document).items():
        kinds: dict[str, dict[str, Any]] = {}
        for site in site_keys:
            for item in by_site.get(site, []):
                entry = kinds.setdefault(item["kind"], {"sites": set(), "count": 0})
                entry["sites"].add(site)
                if "count" in item:
                    value = item["count"]
                    entry["count"] = None if value is None or entry["count"] is None else (
                        entry["count"] + value
                    )  # fmt: skip
                else:
                    entry["count"] = None if entry["count"] is None else entry["count"] + 1
        document["scopes"][key]["compliance"] = {
            "kinds": {
                kind: {"sites": len(entry["sites"]), "count": entry["count"]}
                for kind, entry in sorted(kinds.items())
            },
            "business_plans_approved": sum(plans.get(s) == "approved" for s in site_keys),
            "sites": len(site_keys),
        }
