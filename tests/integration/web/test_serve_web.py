"""`eocms serve web` refuses a configuration as the services do: the reason, exit code 2.

A configuration it must not run with (no token key outside development mode,
a service address that is not one) is refused before listening, with ``eocms
serve web: refused to start: <reason>`` and exit code 2, as ``eocms serve
intake`` refuses; never a traceback. (A failure after that, in the app's
startup, goes through the same code as the services': one
``service_cannot_start`` line and exit code 1.) One case per refusing step
(the settings, then the app); which addresses pass is unit-tested
(``tests/unit/caseworker_web/test_settings.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chassis.devmode import DEV_MODE_VARIABLE

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def serve_web(*options: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`eocms serve web` in a clean environment (no dev mode, no AUTH_*, WEB_*, CASEWORKER_*)."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if name != DEV_MODE_VARIABLE and not name.startswith(("AUTH_", "WEB_", "CASEWORKER_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "eocms", "serve", "web", "--host", "127.0.0.1", *options],
        cwd=PROJECT_ROOT,
        env={**clean, "CASEWORKER_WEB_LOG_FORMAT": "json", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ((), {}, "no token key material configured"),
        (("--dev",), {"CASEWORKER_WEB_INTAKE_URL": "intake:8001"}, "intake_url"),
    ],
    ids=["no-token-key", "not-an-address"],
)
def test_a_configuration_it_must_not_run_with_is_refused_in_a_line(
    options: tuple[str, ...], env: dict[str, str], message: str
) -> None:
    result = serve_web("--port", "9", *options, **env)
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 2, output
    assert "eocms serve web: refused to start:" in output
    assert message in output
    assert "Traceback" not in output
