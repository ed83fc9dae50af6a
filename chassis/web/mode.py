"""Whether the browser side runs in development mode: the one place that decides it.

Development mode is the authentication mode ``dev`` (``AUTH_MODE``): the same
switch that lets ``eocms token`` mint HS256 tokens turns on the development
sign-in page and drops the ``Secure`` flag from cookies (local HTTP).
"""

from __future__ import annotations

from chassis.http.settings import AuthSettings


def development_mode(auth: AuthSettings) -> bool:
    """True when development tokens (and so the development sign-in page) are allowed."""
    return auth.mode == "dev"
