"""Every simulated action has an HTTP route, with the fields the driver fills in."""

from __future__ import annotations

from eocms.demo.routes import ROUTES
from eocms.demo.simulator import Action, simulate


def test_every_action_has_a_route() -> None:
    assert set(ROUTES) == set(Action)


def test_a_route_that_acts_on_a_thing_follows_one_that_created_it() -> None:
    scenario = simulate(seed=4, sites=4, clients=120)
    created: set[str] = set()
    for chain in scenario.chains:
        for step in chain:
            route = ROUTES[step.action]
            if "{id}" in route.path:
                assert step.ref in created, step
            if route.creates:
                created.add(step.ref)
            if route.with_client or "{client_id}" in route.path:
                assert step.client_ref in created, step
            for name in ("component", "month"):
                if "{" + name + "}" in route.path:
                    assert name in step.body, step
