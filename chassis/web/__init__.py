"""What browser front ends share: sign-in, the session cookie, English/French catalogues, assets.

A service that serves pages mounts :func:`static_files` at
:data:`~chassis.web.pages.WEB_STATIC`, includes :func:`signin_router` outside the
bearer-protected routers, and reads the caller with
:func:`~chassis.web.sessions.browser_principal`. Bundled assets (``static/``):
``web.css`` and the vendored chart library ``vendor/chart-4.6.1.umd.min.js``
(Chart.js 4.6.1, MIT, from the npm package, unchanged but for its source-map comment).
"""

from importlib import resources

from starlette.staticfiles import StaticFiles

from chassis.web.i18n import catalogue, chosen_language
from chassis.web.mode import development_mode
from chassis.web.pages import WEB_STATIC, page
from chassis.web.sessions import browser_principal, session_principal
from chassis.web.settings import WebSettings
from chassis.web.signin import SiteChoice, language_switch, signin_router

CHART_SCRIPT = f"{WEB_STATIC}/vendor/chart-4.6.1.umd.min.js"
"""The vendored chart library's address once :func:`static_files` is mounted."""


def static_files() -> StaticFiles:
    """The bundled assets, to mount at :data:`WEB_STATIC`."""
    return StaticFiles(directory=str(resources.files("chassis.web") / "static"))


__all__ = [
    "CHART_SCRIPT",
    "WEB_STATIC",
    "SiteChoice",
    "WebSettings",
    "browser_principal",
    "catalogue",
    "chosen_language",
    "development_mode",
    "language_switch",
    "page",
    "session_principal",
    "signin_router",
    "static_files",
]
