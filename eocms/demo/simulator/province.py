"""The synthetic province: regions, providers, their sites and each site's propensities.

Sites differ on purpose: each draws its own rates (how many clients face
barriers, how often caseworkers refer out, how often clients find work, how
satisfied they are, how its intake compares with its business plan), so the
sites' SQS scores spread around the provincial standard.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

REGIONS = ("central", "eastern", "western", "northern")
"""Employment Ontario's four regions."""

REGION_WEIGHTS = (0.4, 0.25, 0.25, 0.1)


@dataclass(frozen=True)
class SiteProfile:
    """A service delivery site and the rates its clients' journeys are drawn with."""

    site_id: str
    provider_id: str
    region: str
    size: float
    """Relative share of the province's clients."""
    barriers: float
    """Probability that a client faces several barriers to employment (is "suitable")."""
    assisted: float
    """Probability that a plan gets an assisted service (job search, JMPI, retention)."""
    referral_out: float
    """Probability that a plan has a referral out before exit."""
    impact: float
    """Probability that a client leaves employed, in education or in training."""
    satisfied: float
    """Probability that a rating is 4 or 5."""
    rating_response: float
    """Probability that an exiting client gives a rating."""
    intake_vs_plan: float
    """Clients actually started over those planned in the business plan."""


@dataclass(frozen=True)
class Province:
    """Every site of the simulated province."""

    sites: tuple[SiteProfile, ...]

    def site(self, site_id: str) -> SiteProfile:
        """The site with this id."""
        return next(site for site in self.sites if site.site_id == site_id)


def build_province(rng: random.Random, site_count: int) -> Province:
    """``site_count`` sites run by providers of one to three sites each, across the regions."""
    sites: list[SiteProfile] = []
    provider_number = 0
    while len(sites) < site_count:
        provider_number += 1
        provider_id = f"P{provider_number:02d}"
        region = rng.choices(REGIONS, weights=REGION_WEIGHTS)[0]
        strength = rng.gauss(0.0, 1.0)  # a provider's sites share some of its quality
        for _ in range(min(rng.randint(1, 3), site_count - len(sites))):
            sites.append(_site(rng, f"S{len(sites) + 1:03d}", provider_id, region, strength))
    return Province(tuple(sites))


def _site(
    rng: random.Random, site_id: str, provider_id: str, region: str, strength: float
) -> SiteProfile:
    def rate(centre: float, spread: float, low: float, high: float) -> float:
        drawn = centre + spread * (0.5 * strength + rng.gauss(0.0, 1.0))
        return round(min(max(drawn, low), high), 3)

    return SiteProfile(
        site_id=site_id,
        provider_id=provider_id,
        region=region,
        size=round(rng.uniform(0.6, 1.6), 3),
        barriers=rate(0.24, 0.12, 0.05, 0.8),
        assisted=rate(0.88, 0.05, 0.7, 0.99),
        referral_out=rate(0.27, 0.12, 0.05, 0.8),
        impact=rate(0.46, 0.12, 0.2, 0.9),
        satisfied=rate(0.8, 0.08, 0.5, 0.99),
        rating_response=rate(0.85, 0.05, 0.7, 0.98),
        intake_vs_plan=rate(0.82, 0.12, 0.5, 1.2),
    )
