"""A site's own activity: its business plan, monthly R&I reports and JCP projects."""

from __future__ import annotations

import random
from datetime import date, timedelta

from eocms.demo.simulator.clients import synthetic_client
from eocms.demo.simulator.province import SiteProfile
from eocms.demo.simulator.steps import Action, ChainBuilder, Step

CORE_COMMITMENTS = {
    "customer_satisfaction": (85, 92),
    "service_coordination": (50, 60),
    "client_suitability": (40, 50),
    "client_impact": (70, 78),
    "service_efficiency": (90, 95),
}
SPONSORS = (
    ("Grand River Trails Trust", "non-profit", "Trail restoration"),
    ("Northshore Food Bank", "non-profit", "Community food hub"),
    ("Township of Elm Creek", "municipality", "Heritage archive digitization"),
    ("Lakeside Friendship Centre", "indigenous-organization", "Community garden"),
)


def business_plan(
    rng: random.Random, site: SiteProfile, fiscal_year_start: date, starts_expected: int
) -> list[Step]:
    """Submit the year's plan before the year starts, then approve it in early April.

    The assisted-intake commitment is what the site expected to start, scaled
    by how its real intake compares with its plan (the site's propensity).
    """
    chain = ChainBuilder(f"business-plan-{site.site_id}", site.site_id)
    ref = f"business-plan:{site.site_id}"
    improve = rng.sample(sorted(CORE_COMMITMENTS), rng.randint(1, 2))
    commitments = {
        "core_measures": {m: float(rng.randint(*bounds)) for m, bounds in CORE_COMMITMENTS.items()},
        "planned_assisted_clients": max(1, round(starts_expected / site.intake_vs_plan)),
        "planned_ri_clients": round(site.size * rng.randint(1500, 3000)),
        "continuous_improvement": {
            measure: float(CORE_COMMITMENTS[measure][1] + rng.randint(0, 3)) for measure in improve
        },
    }
    fiscal_year = f"{fiscal_year_start.year}-{(fiscal_year_start.year + 1) % 100:02d}"
    # Around the planning deadline (2012-13: 16 December 2011, 17:00 Toronto time), so
    # some plans are on time and some late.
    submitted_on = fiscal_year_start - timedelta(days=rng.randint(95, 120))
    chain.add(
        Action.SUBMIT_BUSINESS_PLAN,
        submitted_on,
        ref,
        {"fiscal_year": fiscal_year, "commitments": commitments},
    )
    approved_on = fiscal_year_start + timedelta(days=rng.randint(0, 9))
    chain.add(Action.APPROVE_BUSINESS_PLAN, approved_on, ref)
    return chain.steps


def resource_and_information_reports(
    rng: random.Random, site: SiteProfile, months: list[date], horizon: date
) -> list[Step]:
    """The site's monthly R&I counts, each filed in the first days of the next month."""
    chain = ChainBuilder(f"ri-{site.site_id}", site.site_id)
    for month in months:
        next_month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        reported_on = next_month + timedelta(days=rng.randint(0, 6))
        if reported_on > horizon:
            continue
        participants = round(site.size * rng.randint(120, 260))
        responses = round(participants * rng.uniform(0.1, 0.25))
        chain.add(
            Action.REPORT_RESOURCE_AND_INFORMATION,
            reported_on,
            f"ri:{site.site_id}:{month:%Y-%m}",
            {
                "expected_version": 0,
                "month": f"{month:%Y-%m}",
                "counts": {
                    "participants": participants,
                    "information_sessions": rng.randint(3, 12),
                    "information_session_attendees": round(participants * rng.uniform(0.2, 0.5)),
                    "satisfaction_responses": responses,
                    "satisfied_responses": round(responses * site.satisfied),
                    "wait_list": rng.randint(0, 15),
                },
            },
        )
    return chain.steps


def jcp_project(
    rng: random.Random, site: SiteProfile, fiscal_year_start: date, horizon: date
) -> list[Step]:
    """A sponsor's project and its participants: each registered at intake, then placed."""
    chain = ChainBuilder(f"jcp-{site.site_id}", site.site_id)
    ref = f"jcp:{site.site_id}"
    sponsor, sponsor_type, title = rng.choice(SPONSORS)
    starts_on = fiscal_year_start + timedelta(days=rng.randint(20, 150))
    ends_on = starts_on + timedelta(weeks=rng.randint(16, 40))
    chain.add(
        Action.CREATE_JCP_PROJECT,
        starts_on - timedelta(days=rng.randint(10, 20)),
        ref,
        {
            "sponsor_name": sponsor,
            "sponsor_type": sponsor_type,
            "title": title,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    # The region's consultant approves it the next day, before anyone registers for it.
    chain.add(Action.APPROVE_JCP_PROJECT, chain.steps[-1].on + timedelta(days=1), ref)
    placements = []
    for number in range(1, rng.randint(2, 4) + 1):
        client_ref = f"client:{site.site_id}-jcp{number}"
        registered_on = starts_on - timedelta(days=rng.randint(3, 9))
        client = synthetic_client(rng, registered_on, faces_barriers=rng.random() < 0.5)
        client.profile["income_source"] = "employment-insurance"
        chain.add(
            Action.REGISTER_CLIENT,
            max(registered_on, chain.steps[-1].on),
            client_ref,
            {"personal_details": client.personal_details, "profile": client.profile},
        )
        placed_on = starts_on + timedelta(days=rng.randint(0, 14))
        expected_end = min(placed_on + timedelta(weeks=rng.randint(12, 16)), ends_on)
        placements.append((client_ref, placed_on, expected_end))
    for client_ref, placed_on, expected_end in sorted(placements, key=lambda p: p[1]):
        chain.add(
            Action.PLACE_JCP_PARTICIPANT,
            max(placed_on, chain.steps[-1].on),
            ref,
            {
                "placed_on": placed_on.isoformat(),
                "expected_end_on": expected_end.isoformat(),
                "hours_worked_per_week": 0,
                "ei_history": {"active_claim": True},
            },
            client_ref=client_ref,
        )
    for client_ref, _, expected_end in sorted(placements, key=lambda p: p[2]):
        if expected_end <= horizon:
            chain.add(
                Action.COMPLETE_JCP_PARTICIPATION,
                max(expected_end, chain.steps[-1].on),
                ref,
                {"completed_on": expected_end.isoformat()},
                client_ref=client_ref,
            )
    return [step for step in chain.steps if step.on <= horizon]
