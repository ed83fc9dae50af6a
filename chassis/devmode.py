"""Development mode: the one switch that lets services run on public key material.

Outside development mode a service refuses to start on the published
development secrets (the HS256 secret, the PII master key): production must
bring its own. Development mode is explicit: ``eocms up`` and ``eocms demo``
turn it on, ``eocms serve --dev`` turns it on for one service, and the test
suite sets ``EOCMS_DEV_MODE=1``. The variable is read here and nowhere else;
:func:`enable_dev_mode` also sets it, so processes started from a
development run inherit it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

DEV_MODE_VARIABLE = "EOCMS_DEV_MODE"
"""Environment variable that turns development mode on (``1``, ``true`` or ``yes``)."""

_TRUE = frozenset({"1", "true", "yes", "on"})

BANNER = (
    "*** EOCMS DEVELOPMENT MODE: public development secrets are accepted "
    "(HS256 secret, PII master key). Never run a deployment like this. ***"
)


class InsecureKeyMaterial(Exception):
    """A service was asked to run on missing or public key material outside development mode."""


def dev_mode_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """Whether development mode is on (``EOCMS_DEV_MODE``)."""
    value = (environ if environ is not None else os.environ).get(DEV_MODE_VARIABLE, "")
    return value.strip().lower() in _TRUE


def enable_dev_mode(*, announce: bool = True) -> None:
    """Turn development mode on for this process and its children, loudly."""
    os.environ[DEV_MODE_VARIABLE] = "1"
    if announce:
        print(BANNER, file=sys.stderr, flush=True)
