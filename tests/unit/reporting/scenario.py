"""A small hand-worked scenario: three sites in fiscal year 2012-13, reported for q1.

Sites: A and B (provider P1, region east), C (provider P2, region west).
Q1 = 2012-04-01 .. 2012-06-30. Business plans: A plans 16 assisted clients a
year (q1 share 16 x 3/12 = 4), B plans 8 (q1 share 2), C has no business plan.
Every client registers self-referred except A3 (came from an EO program, and
its plan records the same referral in) and C1 (came from a community or
government service; nothing on the plan): referrals in recorded at
registration and on the plan.

Site A (all opened and closed in q1; dates 2012-MM-DD)
  A1 suitable,     opened 04-02, Job Search, referral OUT 05-01 and OUT 05-15 (at exit),
                   exit 05-15 employed-full-time, rating 5
  A2 suitable,     opened 04-10, JMPI, no referral, exit 06-01 in-training, rating 4
  A3 not suitable, registered referred (eo-program), opened 04-20 referred IN on opening,
                   CSPC only, exit 06-10 unemployed, rating 2 (not assisted: not counted)
  A4 not suitable, opened 05-05, Job Search, exit 06-15 volunteer, rating 3,
                   referral OUT 06-20 (after exit: counts under no rule)
Site B
  B1 suitable,     opened 05-01, Job Search, referral OUT 05-20,
                   exit 06-30 (last day of q1) in-education, rating 4
  B2 never assessed (counts as not suitable), opened 06-01, JMPI, still open
  B3 suitable,     opened 2012-03-20 (fiscal 2011-12), Job Search, referral OUT 03-25,
                   exit 04-15 unemployed, rating 5
  B4 suitable,     opened 06-15, Job Search, exit 07-01 (q2) employed-part-time, rating 5
Site C
  C1 not suitable, registered referred (community-or-government), opened 04-05,
                   CSPC only, exit 05-31 unemployed, no rating
  C2 not suitable, opened 04-06, Job Search, referral OUT 05-01, still open

Rule book 2012-13 (DOMAIN.md): weight / standard -- satisfaction .15/.85,
coordination .25/.30 (v2), suitability .20/.40, employed / career path .30/.70,
intake .10/.90. Achievement: raw_rate = min(actual, 1) for the four rates;
actual_over_target_capped = min(started / committed, 1) for intake.
score = weight x 10 x achievement, exact; shown to 2 places (half up).
Provincial standard = .15x.85 + .25x.30 + .20x.40 + .30x.70 + .10x.90, x 10
= (.1275 + .075 + .08 + .21 + .09) x 10 = 5.825.

Site A
  satisfaction  A1(5) A2(4) A4(3) rated & assisted        2/3 = 66.7%   .15x10x2/3 = 1.00
  coordination  v2: A1 (OUT during), A3 (IN); A2 none,
                A4 OUT after exit                         2/4 = 50.0%   .25x10x1/2 = 1.25
                (v1 records: A1 OUT during + OUT at exit = 2, A3 IN once
                 (registration and plan: one arrival) = 1 3/4 = 75.0%  .25x10x3/4 = 1.875 -> 1.88)
  suitability   started A1..A4, suitable A1 A2             2/4 = 50.0%   .20x10x1/2 = 1.00
  employed      A1 employed; A2 training is not            1/4 = 25.0%   .30x10x1/4 = 0.75
  intake        4 started / 4 committed                    4/4 = 100.0%  .10x10x1   = 1.00
  SQS = 1 + 5/4 + 1 + 3/4 + 1 = 5 -> 5.00 (below 5.825)
  dimensions: customer service 2.25, effectiveness 1.75, efficiency 1.00
Site B
  satisfaction  B1(4) B3(5) (B4 exits in q2)               2/2 = 100.0%  1.50
  coordination  B1, B3 closed; both OUT before exit        2/2 = 100.0%  2.50 (v1 the same)
  suitability   started in q1: B1, B2, B4; suitable B1 B4  2/3 = 66.7%   .20x10x2/3 = 4/3 -> 1.33
  employed      B1 education, B3 unemployed                0/2 = 0.0%    0.00
  intake        3 started / 2 committed                    3/2 = 150.0%  capped 1 -> 1.00
  SQS = 3/2 + 5/2 + 4/3 + 0 + 1 = 19/3 = 6.333.. -> 6.33 (meets 5.825)
Site C
  satisfaction  nobody assisted and rated                  0/0 = n/a     no data 0.00
  coordination  C1 closed; referred in at registration     1/1 = 100.0%  2.50
  suitability   C1 C2 started, neither suitable            0/2 = 0.0%    0.00
  employed      C1 unemployed                              0/1 = 0.0%    0.00
  intake        2 started / no business plan               2/0 = n/a     no data 0.00
  SQS = 2.50
Provider P1 = region east = A + B (sums of numerators and denominators)
  satisfaction 4/5 = 80.0% -> 1.20; coordination 4/6 = 66.7% -> 5/3 = 1.67;
  suitability 4/7 = 57.1% -> 8/7 = 1.14; employed 1/6 = 16.7% -> 0.50;
  intake 7/6 = 116.7% -> 1.00
  SQS = 6/5 + 5/3 + 8/7 + 1/2 + 1 = 1157/210 = 5.509.. -> 5.51
Province = A + B + C
  satisfaction 4/5 = 80.0% -> 1.20; coordination 5/7 = 71.4% -> 25/14 = 1.79;
  suitability 4/9 = 44.4% -> 8/9 = 0.89; employed 1/7 = 14.3% -> 3/7 = 0.43;
  intake 9/6 = 150.0% (C's starts count, C commits none) -> 1.00
  SQS = 6/5 + 25/14 + 8/9 + 3/7 + 1 = 3341/630 = 5.303.. -> 5.30
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contracts.caseload import Outcome, PlanComponent, ReferralCategory, ReferralDirection
from contracts.intake import ReferralSource
from services.reporting.domain import BusinessPlanCommitment, ReportingFacts, Site, fold_events
from tests.unit.reporting.builders import Journeys

JS, JMPI = PlanComponent.JOB_SEARCH, PlanComponent.JMPI
OUT = ReferralDirection.OUT

SITES = [
    Site(site_id="A", provider_id="P1", region="east"),
    Site(site_id="B", provider_id="P1", region="east"),
    Site(site_id="C", provider_id="P2", region="west"),
]

COMMITMENTS = [
    BusinessPlanCommitment(
        site_id="A",
        fiscal_year="2012-13",
        planned_assisted_clients=16,
        measure_commitments={"customer_satisfaction": Decimal("0.85")},
        improvement_commitments={
            "client_impact": Decimal("0.55"),
            "service_coordination": Decimal("0.20"),
        },
    ),
    BusinessPlanCommitment(site_id="B", fiscal_year="2012-13", planned_assisted_clients=8),
]


def d(month: int, day: int, year: int = 2012) -> date:
    """A date of 2012 unless said otherwise."""
    return date(year, month, day)


def scenario_journeys() -> Journeys:
    """The events of the scenario, stream by stream."""
    j = Journeys()
    # Site A
    j.register("A1", "A", d(4, 2), suitable=True)
    j.open("A1", "A1", "A", d(4, 2))
    j.start("A1", "A1", "A", d(4, 3), JS)
    j.refer("A1", "A1", "A", d(5, 1), OUT)
    j.refer("A1", "A1", "A", d(5, 15), OUT, ReferralCategory.LITERACY_AND_BASIC_SKILLS)
    j.close("A1", "A1", "A", d(5, 15), Outcome.EMPLOYED_FULL_TIME, [JS], rating=5)
    j.register("A2", "A", d(4, 10), suitable=True)
    j.open("A2", "A2", "A", d(4, 10))
    j.start("A2", "A2", "A", d(4, 11), JMPI)
    j.close("A2", "A2", "A", d(6, 1), Outcome.IN_TRAINING, [JMPI], rating=4)
    j.register("A3", "A", d(4, 20), suitable=False, referral_source=ReferralSource.EO_PROGRAM)
    j.open("A3", "A3", "A", d(4, 20), referred_in_from=ReferralCategory.SECOND_CAREER)
    j.close("A3", "A3", "A", d(6, 10), Outcome.UNEMPLOYED, [], rating=2)
    j.register("A4", "A", d(5, 5), suitable=False)
    j.open("A4", "A4", "A", d(5, 5))
    j.start("A4", "A4", "A", d(5, 6), JS)
    j.close("A4", "A4", "A", d(6, 15), Outcome.VOLUNTEER, [JS], rating=3)
    j.refer("A4", "A4", "A", d(6, 20), OUT)
    # Site B
    j.register("B1", "B", d(5, 1), suitable=True)
    j.open("B1", "B1", "B", d(5, 1))
    j.start("B1", "B1", "B", d(5, 2), JS)
    j.refer("B1", "B1", "B", d(5, 20), OUT, ReferralCategory.SECOND_CAREER)
    j.close("B1", "B1", "B", d(6, 30), Outcome.IN_EDUCATION, [JS], rating=4)
    j.register("B2", "B", d(6, 1), suitable=None)
    j.open("B2", "B2", "B", d(6, 1))
    j.start("B2", "B2", "B", d(6, 2), JMPI)
    j.register("B3", "B", d(3, 20), suitable=True)
    j.open("B3", "B3", "B", d(3, 20))
    j.start("B3", "B3", "B", d(3, 21), JS)
    j.refer("B3", "B3", "B", d(3, 25), OUT)
    j.close("B3", "B3", "B", d(4, 15), Outcome.UNEMPLOYED, [JS], rating=5)
    j.register("B4", "B", d(6, 15), suitable=True)
    j.open("B4", "B4", "B", d(6, 15))
    j.start("B4", "B4", "B", d(6, 16), JS)
    j.close("B4", "B4", "B", d(7, 1), Outcome.EMPLOYED_PART_TIME, [JS], rating=5)
    # Site C
    j.register(
        "C1", "C", d(4, 5), suitable=False, referral_source=ReferralSource.COMMUNITY_OR_GOVERNMENT
    )
    j.open("C1", "C1", "C", d(4, 5))
    j.close("C1", "C1", "C", d(5, 31), Outcome.UNEMPLOYED, [])
    j.register("C2", "C", d(4, 6), suitable=False)
    j.open("C2", "C2", "C", d(4, 6))
    j.start("C2", "C2", "C", d(4, 7), JS)
    j.refer("C2", "C2", "C", d(5, 1), OUT)
    return j


def scenario_facts() -> ReportingFacts:
    """The scenario's facts, commitments included."""
    facts = fold_events(scenario_journeys().events)
    for commitment in COMMITMENTS:
        facts = facts.with_commitment(commitment)
    return facts
