"""What a ministry analyst sees of a low survey response rate: the flag, no counts."""

from __future__ import annotations

from chassis.http.principal import Principal, Role
from services.reporting.app.suppression import sees_exact_counts
from services.reporting.entrypoints.compliance import ResponseRateView, _withheld


def test_an_analyst_gets_the_flag_without_its_counts() -> None:
    rate = ResponseRateView(scope="jmpi", responded=1, exited=9, rate_percent=11.1)
    assert _withheld(rate).model_dump() == {
        "scope": "jmpi",
        "responded": None,
        "exited": None,
        "rate_percent": None,
    }


def test_who_sees_exact_counts() -> None:
    def who(*roles: Role) -> bool:
        return sees_exact_counts(Principal(subject="x", roles=frozenset(roles)))

    assert who(Role.ADMIN) and who(Role.SITE_MANAGER) and who(Role.MINISTRY_CONSULTANT)
    assert who(Role.CASEWORKER)
    assert not who(Role.MINISTRY_ANALYST)
    assert not who(Role.MINISTRY_ANALYST, Role.SITE_MANAGER)  # an analyst role always counts
    assert who(Role.MINISTRY_ANALYST, Role.ADMIN)
