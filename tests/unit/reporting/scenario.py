"""A small hand-worked scenario: three sites in fiscal year 2012-13, reported for q1.

Sites: A and B (provider P1, region east), C (provider P2, region west).
Q1 = 2012-04-01 .. 2012-06-30. Business plans: A plans 16 assisted clients a
year (q1 share 16 x 3/12 = 4), B plans 8 (q1 share 2), C has no business plan.

Site A (all opened and closed in q1; dates 2012-MM-DD)
  A1 suitable,     opened 04-02, Job Search, referral OUT 05-01,
                   exit 05-15 employed-full-time, rating 5
  A2 suitable,     opened 04-10, JMPI, no referral, exit 06-01 in-training, rating 4
  A3 not suitable, opened 04-20, CSPC only, referred IN on opening,
                   exit 06-10 unemployed, rating 2 (not assisted: rating not counted)
  A4 not suitable, opened 05-05, Job Search, exit 06-15 volunteer, rating 3,
                   referral OUT 06-20 (after exit)
Site B
  B1 suitable,     opened 05-01, Job Search, referral OUT 05-20,
                   exit 06-30 (last day of q1) in-education, rating 4
  B2 never assessed (counts as not suitable), opened 06-01, JMPI, still open
  B3 suitable,     opened 2012-03-20 (fiscal 2011-12), Job Search, referral OUT 03-25,
                   exit 04-15 unemployed, rating 5
  B4 suitable,     opened 06-15, Job Search, exit 07-01 (q2) employed-part-time, rating 5
Site C
  C1 not suitable, opened 04-05, CSPC only, exit 05-31 unemployed, no rating
  C2 not suitable, opened 04-06, Job Search, referral OUT 05-01, still open

Rule book 2012-13: weight / target -- satisfaction .15/.85, coordination .25/.50 (v2),
suitability .30/.40, impact .20/.70, efficiency .10/.90; cap 1.0.
score = weight x min(actual/target, 1) x 10, exact; shown to 2 places (half up).

Site A
  satisfaction  A1(5) A2(4) A4(3) rated & assisted          2/3 = 66.7%  perf 40/51  20/17 = 1.18
                (0.15 x 40/51 x 10 = 20/17)
  coordination  v2: OUT on/before exit: A1 only             1/4 = 25.0%  perf 1/2    1.25
                (v1: A1, A3 in, A4 out-after-exit           3/4 = 75.0%  capped      2.50)
  suitability   started A1..A4, suitable A1 A2              2/4 = 50.0%  capped      3.00
  impact        A1 employed, A2 training                    2/4 = 50.0%  perf 5/7    10/7 = 1.43
  efficiency    4 started / 4 planned                       4/4 = 100.0% capped      1.00
  SQS = 20/17 + 5/4 + 3 + 10/7 + 1 = 3739/476 = 7.855.. -> 7.86
Site B
  satisfaction  B1(4) B3(5) (B4 exits in q2)                2/2 = 100.0% capped      1.50
  coordination  B1, B3 closed; both OUT before exit         2/2 = 100.0% capped      2.50
  suitability   started in q1: B1, B2, B4; suitable B1 B4   2/3 = 66.7%  capped      3.00
  impact        B1 education; B3 unemployed                 1/2 = 50.0%  perf 5/7    1.43
  efficiency    3 started / 2 planned                       3/2 = 150.0% capped      1.00
  SQS = 8 + 10/7 = 66/7 = 9.428.. -> 9.43
Site C
  satisfaction  nobody assisted and rated                   0/0 = n/a    no data     0.00
  coordination  C1 closed, no referral                      0/1 = 0.0%               0.00
  suitability   C1 C2 started, neither suitable             0/2 = 0.0%               0.00
  impact        C1 unemployed                               0/1 = 0.0%               0.00
  efficiency    2 started / no business plan                2/0 = n/a    no data     0.00
  SQS = 0.00
Provider P1 = region east = A + B (sums of numerators and denominators)
  satisfaction 4/5 = 80.0% perf 16/17 -> 24/17 = 1.41; coordination 3/6 = 50.0% -> 2.50;
  suitability 4/7 = 57.1% -> 3.00; impact 3/6 = 50.0% -> 10/7 = 1.43;
  efficiency 7/6 = 116.7% -> 1.00
  SQS = 24/17 + 10/7 + 13/2 = 2223/238 = 9.340.. -> 9.34
Province = A + B + C
  satisfaction 4/5 = 80.0% -> 1.41; coordination 3/7 = 42.9% perf 6/7 -> 15/7 = 2.14;
  suitability 4/9 = 44.4% -> 3.00; impact 3/7 = 42.9% perf 30/49 -> 60/49 = 1.22;
  efficiency 9/6 = 150.0% (C's starts count, C plans none) -> 1.00
  SQS = 24/17 + 15/7 + 3 + 60/49 + 1 = 7313/833 = 8.779.. -> 8.78
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from contracts.caseload import Outcome, PlanComponent, ReferralCategory, ReferralDirection
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
    j.close("A1", "A1", "A", d(5, 15), Outcome.EMPLOYED_FULL_TIME, [JS], rating=5)
    j.register("A2", "A", d(4, 10), suitable=True)
    j.open("A2", "A2", "A", d(4, 10))
    j.start("A2", "A2", "A", d(4, 11), JMPI)
    j.close("A2", "A2", "A", d(6, 1), Outcome.IN_TRAINING, [JMPI], rating=4)
    j.register("A3", "A", d(4, 20), suitable=False)
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
    j.register("C1", "C", d(4, 5), suitable=False)
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
