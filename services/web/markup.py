"""The front end's one escaping function: every value put into a page goes through :func:`text`.

Pages are built from trusted markup (this package's string literals and the
message catalogues) and untrusted values (anything a service answered, a
form posted or a URL carried). Each untrusted value is passed through
:func:`text` where it is placed, in element content and in quoted attribute
values alike (quotes are escaped too); :meth:`services.web.layout.Visit.t`
does the same for catalogue messages and the values formatted into them. No
other module of ``services.web`` imports :mod:`html` (a unit test checks), so
this is the one place where escaping happens and can be reviewed.
"""

from __future__ import annotations

import html


def text(value: object) -> str:
    """``value`` as HTML text or a quoted attribute value (``None`` empty, others ``str()``-ed)."""
    return "" if value is None else html.escape(str(value), quote=True)
