"""Whether the browser side runs in development mode: the one place that decides it.

Development mode needs both switches: the process runs in explicit
development mode (:func:`chassis.devmode.dev_mode_enabled`: ``eocms up``,
``eocms demo``, ``eocms serve --dev``, tests) and authentication is the
``dev`` mode (``AUTH_MODE``) that lets ``eocms token`` mint HS256 tokens. Only
then is the development sign-in page (pick any role and site) served and the
``Secure`` flag dropped from cookies (local HTTP). A production service with
an HS256 secret of its own never offers that page.
"""

from __future__ import annotations

from chassis.devmode import dev_mode_enabled
from chassis.http.settings import AuthSettings


def development_mode(auth: AuthSettings) -> bool:
    """True when development tokens (and so the development sign-in page) are allowed."""
    return dev_mode_enabled() and auth.mode == "dev"
