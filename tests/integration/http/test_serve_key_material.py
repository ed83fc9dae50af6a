"""`eocms serve` outside development mode refuses to start on missing or public keys."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chassis.devmode import DEV_MODE_VARIABLE

PROJECT_ROOT = Path(__file__).resolve().parents[3]
STRONG_SECRET = "a-production-secret-of-more-than-thirty-two-bytes"


def serve_intake(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `eocms serve intake` in a clean environment (no dev mode, no AUTH_*, no keys)."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if name != DEV_MODE_VARIABLE and not name.startswith(("AUTH_", "INTAKE_", "KAFKA_"))
    }
    clean.update({"INTAKE_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-m", "eocms", "serve", "intake", "--port", "9"],
        cwd=PROJECT_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "INTAKE_PII_MASTER_KEY"),
        ({"INTAKE_PII_MASTER_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}, "no token key"),
        (
            {
                "INTAKE_PII_MASTER_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "AUTH_HS256_SECRET": "a",
            },
            "shorter than 32 bytes",
        ),
        ({"AUTH_HS256_SECRET": STRONG_SECRET}, "INTAKE_PII_MASTER_KEY"),
    ],
    ids=["nothing-set", "no-auth", "short-secret", "public-master-key"],
)
def test_serve_without_real_key_material_exits_with_a_clear_message(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = serve_intake(tmp_path, **env)
    assert result.returncode == 2, result.stdout + result.stderr
    output = " ".join((result.stdout + result.stderr).split())
    assert "refused to start" in output
    assert message in output
    assert "Traceback" not in output
