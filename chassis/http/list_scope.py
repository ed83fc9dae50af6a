"""Which sites a list shows the caller: the list-side twin of ``require_site_access``."""

from __future__ import annotations

from chassis.http.principal import Principal, Role


def visible_sites(principal: Principal) -> frozenset[str] | None:
    """The caller's sites for a client-level list; None means every site (admins).

    Call it after the route's ``ClientLevelPrincipal`` dependency has refused
    ministry analysts; any other caller sees exactly the sites in its token,
    so another site's rows never appear.
    """
    if Role.ADMIN in principal.roles:
        return None
    return principal.site_ids
