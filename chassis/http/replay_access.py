"""Authorization checked again when an idempotent response is replayed.

A replay does not run the route, so the checks the route made the first time
(roles, client-level access, site access) would be skipped, and a caller who
has since lost a site would still get the stored 201. While a command runs,
the access dependencies note each check here (:func:`note_roles`,
:func:`note_client_level`, :func:`note_site`); the idempotency layer stores
the notes beside the response (an internal header never sent to callers) and
:func:`authorize_replay` repeats every check against the caller's current
token before a stored response is returned, raising the same problem the route
would have raised.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

from chassis.http.principal import CLIENT_LEVEL_ROLES, Principal, Role
from chassis.http.problems import CLIENT_LEVEL_FORBIDDEN, FORBIDDEN, ProblemException

ACCESS_HEADER = "x-eocms-access-checks"
"""The stored (never sent) header holding a command's access checks."""


@dataclass
class AccessChecks:
    """The checks one command's route made: role sets, client level, sites."""

    role_sets: list[list[str]] = field(default_factory=list)
    client_level: bool = False
    sites: list[tuple[str, str, bool]] = field(default_factory=list)

    def encode(self) -> str:
        """The checks as compact JSON for the stored header."""
        return json.dumps(
            {"roles": self.role_sets, "client_level": self.client_level, "sites": self.sites},
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, text: str) -> AccessChecks:
        """Checks from :meth:`encode`'s JSON."""
        data = json.loads(text)
        return cls(
            role_sets=[list(roles) for roles in data.get("roles", [])],
            client_level=bool(data.get("client_level")),
            sites=[(site, resource, bool(hide)) for site, resource, hide in data.get("sites", [])],
        )


_current: ContextVar[AccessChecks | None] = ContextVar("eocms_access_checks", default=None)


def start_recording() -> AccessChecks:
    """Begin noting the access checks of the command about to run."""
    checks = AccessChecks()
    _current.set(checks)
    return checks


def note_roles(roles: Iterable[Role]) -> None:
    """A route required one of ``roles``."""
    checks = _current.get()
    if checks is not None:
        checks.role_sets.append(sorted(role.value for role in roles))


def note_client_level() -> None:
    """A route required client-level access."""
    checks = _current.get()
    if checks is not None:
        checks.client_level = True


def note_site(site_id: str, resource: str, hide_existence: bool) -> None:
    """A route required access to ``site_id``."""
    checks = _current.get()
    if checks is not None and (site_id, resource, hide_existence) not in checks.sites:
        checks.sites.append((site_id, resource, hide_existence))


def authorize_replay(principal: Principal, stored_headers: Iterable[tuple[str, str]]) -> None:
    """Repeat the stored checks for ``principal``; raise the route's problem if one fails."""
    # Imported here: site_access notes its checks through this module.
    from chassis.http.site_access import require_site_access

    for name, value in stored_headers:
        if name.lower() != ACCESS_HEADER:
            continue
        checks = AccessChecks.decode(value)
        if checks.client_level and not principal.has_any_role(CLIENT_LEVEL_ROLES):
            raise ProblemException(CLIENT_LEVEL_FORBIDDEN, "Ministry analysts see aggregates only.")
        for role_set in checks.role_sets:
            if not principal.has_any_role(Role(name) for name in role_set):
                raise ProblemException(
                    FORBIDDEN, f"This needs one of the roles: {', '.join(role_set)}."
                )
        for site_id, resource, hide_existence in checks.sites:
            require_site_access(
                principal, site_id, resource=resource, hide_existence=hide_existence
            )


def without_access_header(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The stored headers a caller may see."""
    return [(name, value) for name, value in headers if name.lower() != ACCESS_HEADER]
