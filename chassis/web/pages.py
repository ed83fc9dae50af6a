"""The HTML shell every browser page shares: language, title, stylesheets, scripts, no inline code.

Scripts and styles are separate files served from bundled assets, so a strict
Content-Security-Policy (``script-src 'self'``) holds and nothing is fetched
from outside.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

WEB_STATIC = "/web-static"
"""Where a service mounts :mod:`chassis.web`'s bundled assets (style, vendored libraries)."""


def page(
    *,
    language: str,
    title: str,
    body: str,
    stylesheets: Sequence[str] = (f"{WEB_STATIC}/web.css",),
    scripts: Sequence[str] = (),
) -> str:
    """A complete HTML document; ``body`` is trusted HTML, ``title`` is escaped."""
    links = "".join(f'<link rel="stylesheet" href="{html.escape(s)}">' for s in stylesheets)
    tags = "".join(f'<script src="{html.escape(s)}" defer></script>' for s in scripts)
    return (
        f'<!doctype html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{html.escape(title)}</title>{links}{tags}</head>'
        f"<body>{body}</body></html>"
    )
