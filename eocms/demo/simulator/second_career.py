"""Second Career: a laid-off client's application after an ES referral, and its training."""

from __future__ import annotations

import random
from datetime import date, timedelta

from eocms.demo.simulator.steps import Action, Later

PROGRAMS = (
    ("Truck and coach technician diploma", "Transport mechanic", "7321"),
    ("Personal support worker certificate", "Personal support worker", "3413"),
    ("Welding techniques certificate", "Welder", "7237"),
    ("Medical office administration diploma", "Medical administrative assistant", "1243"),
    ("Electrical techniques diploma", "Electrician", "7241"),
)
DENIAL_SHARE = 0.12
WITHDRAWAL_SHARE = 0.1


def second_career_steps(
    rng: random.Random, key: str, client_ref: str, exit_on: date
) -> list[Later]:
    """Submit, decide and (when approved) train: each step dated after the ES exit."""
    ref = f"second-career:{key}"
    program, occupation, noc = rng.choice(PROGRAMS)
    weeks = rng.randint(26, 78)
    costs = {
        "tuition": rng.randint(600, 1500) * 1000,
        "books": rng.randint(50, 150) * 1000,
        "transportation": rng.randint(60, 120) * 1000,
        "basic-living-allowance": rng.randint(500, 1000) * 1000,
    }
    submitted_on = exit_on + timedelta(days=rng.randint(1, 5))
    steps = [
        Later(
            submitted_on,
            Action.SUBMIT_SECOND_CAREER,
            ref,
            {
                "training_program": program,
                "occupation": occupation,
                "noc_code": noc,
                "training_weeks": weeks,
                "requested_costs_cents": costs,
                "facts": {
                    "laid_off": True,
                    "laid_off_on": (exit_on - timedelta(days=rng.randint(60, 400))).isoformat(),
                    "hours_worked_per_week": 0,
                    "ontario_resident": True,
                    "legal_status": rng.choice(("citizen", "citizen", "permanent-resident")),
                    "occupation_in_demand": True,
                },
            },
            client_ref,
        )
    ]
    decided_on = submitted_on + timedelta(days=rng.randint(7, 21))
    if rng.random() < DENIAL_SHARE:
        steps.append(
            Later(
                decided_on,
                Action.DENY_SECOND_CAREER,
                ref,
                {
                    "reason": "funding-not-available",
                    "explanation": "The year's allocation is spent.",
                },
            )
        )
        return steps
    steps.append(
        Later(decided_on, Action.APPROVE_SECOND_CAREER, ref, {"approved_costs_cents": costs})
    )
    started_on = decided_on + timedelta(days=rng.randint(7, 30))
    steps.append(Later(started_on, Action.START_SECOND_CAREER, ref))
    if rng.random() < WITHDRAWAL_SHARE:
        withdrawn_on = started_on + timedelta(days=rng.randint(20, 120))
        steps.append(Later(withdrawn_on, Action.WITHDRAW_SECOND_CAREER, ref))
    else:
        steps.append(Later(started_on + timedelta(weeks=weeks), Action.COMPLETE_SECOND_CAREER, ref))
    return steps
