"""Which sites a list shows the caller: the list-side twin of ``require_site_access``."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant

from chassis.http.principal import Principal, Role
from chassis.http.problems import VALIDATION_ERROR, ProblemException


def visible_sites(principal: Principal) -> frozenset[str] | None:
    """The caller's sites for a client-level list; None means every site (admins).

    Call it after the route's ``ClientLevelPrincipal`` dependency has refused
    ministry analysts; any other caller sees exactly the sites in its token,
    so another site's rows never appear.
    """
    if Role.ADMIN in principal.roles:
        return None
    return principal.site_ids


def refuse_unknown_query_parameters(request: Request) -> None:
    """422 for a query parameter the route does not declare (a misspelt filter).

    A list silently ignoring ``?stauts=open`` would answer every row as if
    filtered; a router of list routes takes this as a dependency instead.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = {param.alias for param in _query_params(dependant)}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        message = f"unknown query parameter(s): {', '.join(unknown)}"
        raise ProblemException(
            VALIDATION_ERROR,
            message,
            extensions={
                "errors": [
                    {"field": name, "message": "not a parameter of this list", "type": "extra"}
                    for name in unknown
                ]
            },
        )


def _query_params(dependant: Dependant) -> list[Any]:
    params = list(dependant.query_params)
    for sub in dependant.dependencies:
        params += _query_params(sub)
    return params


def refuse_repeated_query_parameters(request: Request) -> None:
    """422 for a query parameter given more than once (``?status=open&status=closed``).

    Every query parameter of the services takes one value; taking the last of
    several would answer a question the caller did not ask. Every API route of
    a service takes this as a dependency (``chassis.http.app.create_app``).
    """
    keys = [key for key, _ in request.query_params.multi_items()]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ProblemException(
            VALIDATION_ERROR,
            f"query parameter(s) given more than once: {', '.join(repeated)}",
            extensions={
                "errors": [
                    {"field": name, "message": "takes one value", "type": "repeated"}
                    for name in repeated
                ]
            },
        )
