"""How each simulated action reaches a service's HTTP API.

The simulator says what happens; this table says where it goes: the service,
the method and path (``{id}`` is the acted-on thing's id, ``{client_id}`` the
client's, other placeholders come out of the body), the field that carries the
step's date, and whether the command quotes the resource's version or
creates the resource (whose id is then read from ``Location``).
"""

from __future__ import annotations

from dataclasses import dataclass

from eocms.demo.simulator import Action


@dataclass(frozen=True)
class Route:
    """One action's HTTP shape."""

    service: str
    method: str
    path: str
    date_field: str | None = None
    creates: bool = False
    versioned: bool = True
    with_site: bool = False
    with_client: bool = False
    resolved: tuple[str, ...] = ()
    """Body fields holding a ref the driver replaces with that thing's id."""
    ministry: bool = False
    """A ministry decision: sent with the site region's consultant token, not the site's."""


def _plan(path: str, date_field: str) -> Route:
    return Route("caseload", "POST", f"/service-plans/{{id}}{path}", date_field)


def _sc(path: str, date_field: str, *, ministry: bool = False) -> Route:
    return Route(
        "programs",
        "POST",
        f"/second-career/applications/{{id}}{path}",
        date_field,
        ministry=ministry,
    )


ROUTES: dict[Action, Route] = {
    Action.REGISTER_CLIENT: Route(
        "intake", "POST", "/clients", "registered_on", creates=True, versioned=False, with_site=True
    ),
    Action.OPEN_PLAN: Route(
        "caseload",
        "POST",
        "/service-plans",
        "opened_on",
        creates=True,
        versioned=False,
        with_site=True,
        with_client=True,
    ),
    Action.ADD_ITEM: _plan("/items", "added_on"),
    Action.START_SERVICE: _plan("/services/{component}/start", "started_on"),
    Action.COMPLETE_SERVICE: _plan("/services/{component}/complete", "completed_on"),
    Action.REFER: _plan("/referrals", "referred_on"),
    Action.CLOSE_PLAN: _plan("/closure", "exit_date"),
    Action.RATE_SATISFACTION: _plan("/satisfaction", "recorded_on"),
    Action.FOLLOW_UP: _plan("/follow-ups", "recorded_on"),
    Action.REPORT_RESOURCE_AND_INFORMATION: Route(
        "caseload",
        "PUT",
        "/sites/{site_id}/resource-and-information/{month}",
        "reported_on",
        versioned=False,
    ),
    Action.SUBMIT_BUSINESS_PLAN: Route(
        "programs",
        "POST",
        "/business-plans",
        "submitted_on",
        creates=True,
        versioned=False,
        with_site=True,
    ),
    Action.APPROVE_BUSINESS_PLAN: Route(
        "programs", "POST", "/business-plans/{id}/approval", "approved_on", ministry=True
    ),
    Action.SUBMIT_SECOND_CAREER: Route(
        "programs",
        "POST",
        "/second-career/applications",
        "submitted_on",
        creates=True,
        versioned=False,
        with_site=True,
        with_client=True,
    ),
    Action.APPROVE_SECOND_CAREER: _sc("/approval", "approved_on", ministry=True),
    Action.DENY_SECOND_CAREER: _sc("/denial", "denied_on", ministry=True),
    Action.START_SECOND_CAREER: _sc("/training-start", "started_on"),
    Action.COMPLETE_SECOND_CAREER: _sc("/completion", "completed_on"),
    Action.WITHDRAW_SECOND_CAREER: _sc("/withdrawal", "withdrawn_on"),
    Action.CREATE_JCP_PROJECT: Route(
        "programs", "POST", "/jcp/projects", creates=True, versioned=False, with_site=True
    ),
    Action.APPROVE_JCP_PROJECT: Route(
        "programs", "POST", "/jcp/projects/{id}/approval", "approved_on", ministry=True
    ),
    Action.PLACE_JCP_PARTICIPANT: Route(
        "programs", "POST", "/jcp/projects/{id}/participants", with_client=True
    ),
    Action.COMPLETE_JCP_PARTICIPATION: Route(
        "programs", "POST", "/jcp/projects/{id}/participants/{client_id}/completion"
    ),
    Action.SUBMIT_SEB: Route(
        "programs",
        "POST",
        "/seb/participations",
        "submitted_on",
        creates=True,
        versioned=False,
        with_site=True,
        with_client=True,
        resolved=("plan_id",),
    ),
    Action.APPROVE_SEB: Route(
        "programs", "POST", "/seb/participations/{id}/approval", "approved_on", ministry=True
    ),
    Action.START_SEB: Route("programs", "POST", "/seb/participations/{id}/start", "started_on"),
    Action.COMPLETE_SEB: Route(
        "programs", "POST", "/seb/participations/{id}/completion", "completed_on"
    ),
}
