"""Which paths of a service app are browser pages that authenticate themselves.

Browser routes (sign-in, dashboards, their assets, the AsyncAPI page) are
reached without a bearer token: they read the session cookie
(:func:`chassis.web.sessions.browser_principal`) or need no caller at all.
Whatever gates bearer tokens in front of the routes (an authentication
middleware) must let these through; it asks :func:`is_browser_path` at request
time, so paths registered after the app was built count too.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import FastAPI

_STATE = "browser_paths"


def register_browser_paths(
    app: FastAPI, *, exact: Iterable[str] = (), prefixes: Iterable[str] = ()
) -> None:
    """Record paths (and path prefixes, e.g. ``/web-static/``) that serve browsers."""
    known_exact, known_prefixes = getattr(app.state, _STATE, (frozenset(), ()))
    setattr(
        app.state,
        _STATE,
        (known_exact | frozenset(exact), (*known_prefixes, *prefixes)),
    )


def is_browser_path(app: FastAPI, path: str) -> bool:
    """Whether ``path`` was registered as a browser path of ``app``."""
    exact, prefixes = getattr(app.state, _STATE, (frozenset(), ()))
    return path in exact or path.startswith(tuple(prefixes))
