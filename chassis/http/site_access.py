"""Site scoping: a caseworker never reads or changes another site's client.

Client resources of a site the caller may not reach answer 404, byte for byte
the answer for a client that does not exist, so probing ids reveals nothing
about other sites' clients. Raise :class:`ResourceNotFound` for a genuinely
absent resource too, so the two stay indistinguishable. Where the site is
public knowledge (a site id in the path of a site-level report), pass
``hide_existence=False`` to get an honest 403 instead.
"""

from __future__ import annotations

from chassis.http.principal import Principal
from chassis.http.problems import CLIENT_LEVEL_FORBIDDEN, FORBIDDEN, NOT_FOUND, ProblemException
from chassis.http.replay_access import note_site


class ResourceNotFound(ProblemException):
    """404 problem for an absent or invisible resource (the same response for both)."""

    def __init__(self, resource: str = "resource") -> None:
        super().__init__(NOT_FOUND, f"No such {resource}.")


def require_site_access(
    principal: Principal, site_id: str, *, resource: str = "client", hide_existence: bool = True
) -> None:
    """Return if ``principal`` may act on ``site_id``; raise the matching problem otherwise.

    Ministry analysts get 403 (they see no client-level data at all, so nothing
    leaks); others get 404 for a hidden resource or 403 with ``hide_existence=False``.
    """
    note_site(site_id, resource, hide_existence)
    if principal.can_access_site(site_id):
        return
    if not principal.has_client_level_access:
        raise ProblemException(
            CLIENT_LEVEL_FORBIDDEN, "Ministry analysts see aggregates only, not client-level data."
        )
    if hide_existence:
        raise ResourceNotFound(resource)
    raise ProblemException(FORBIDDEN, f"You may not act on site {site_id}.")
