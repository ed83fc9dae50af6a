"""Write each HTTP service's OpenAPI document to DIRECTORY/<service>.json, keys sorted.

Run it before and after a refactoring that must not change the HTTP surface,
then compare the two directories (``diff -r before after``)::

    .venv/bin/python tools/dump_openapi.py /tmp/openapi-before
    ... change the code ...
    .venv/bin/python tools/dump_openapi.py /tmp/openapi-after
    diff -r /tmp/openapi-before /tmp/openapi-after && echo unchanged

Each app is built with its development defaults (nothing connects: the
document is generated without running the lifespan); the SQLite data
directory is a temporary one.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
from pathlib import Path

SERVICES = ("intake", "caseload", "programs", "reporting")
CHECKOUT = Path(__file__).resolve().parent.parent
"""The checkout this script sits in: its code is dumped, not an installed copy's."""


def main(directory: Path) -> None:
    """Dump every service's document into ``directory``."""
    sys.path.insert(0, str(CHECKOUT))
    directory.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("EOCMS_DATA_DIR", tempfile.mkdtemp(prefix="openapi-"))
    for service in SERVICES:
        module = importlib.import_module(f"services.{service}.bootstrap")
        assert Path(module.__file__ or "").is_relative_to(CHECKOUT), module.__file__
        app = module.create_app()
        document = json.dumps(app.openapi(), indent=1, sort_keys=True)
        (directory / f"{service}.json").write_text(document + "\n", encoding="utf-8")
        print(f"{service}: {len(app.openapi()['paths'])} paths")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: dump_openapi.py DIRECTORY")
    main(Path(sys.argv[1]))
