"""Each service's rooms depend only inward, checked for all four services from one place.

- ``domain/`` imports only the standard library, pydantic, ``contracts``,
  ``chassis.aggregate`` and its own domain: no web, database, broker, logging
  or settings framework; and no rule reads the clock (``today`` is passed in).
- ``app/`` (the use cases) imports no adapter, entrypoint or composition root
  of its service and no web, database or broker library: it reaches them
  through the ports it declares.
- No module of a service imports another service.

Imports are read from the source (``ast``), relative ones resolved, so a
module that is never imported by a test is checked too.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import services

SERVICES = ("intake", "caseload", "programs", "reporting")
ROOT = Path(services.__file__).parent
DOMAIN_ALLOWED = ("pydantic", "contracts", "chassis.aggregate")
FRAMEWORKS = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "asyncpg",
    "aiosqlite",
    "psycopg",
    "faststream",
    "aiokafka",
    "structlog",
    "pydantic_settings",
    "prometheus_client",
    "httpx",
    "uvicorn",
    "typer",
)
CLOCK_CALLS = ("date.today(", "datetime.now(", "datetime.utcnow(", "time.time(")


def modules_of(service: str, room: str | None = None) -> list[Path]:
    """The Python files of a service, or of one of its rooms (a package)."""
    base = ROOT / service if room is None else ROOT / service / room
    return sorted(base.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, relative imports made absolute."""
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base)
                yield f"{prefix}.{node.module}" if node.module else prefix
            elif node.module:
                yield node.module


def within(module: str, *packages: str) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in packages)


def is_stdlib(module: str) -> bool:
    root = module.partition(".")[0]
    return root in sys.stdlib_module_names or root == "__future__"


def offences(paths: list[Path], refused: Callable[[str], bool]) -> dict[str, list[str]]:
    found = {
        str(path.relative_to(ROOT)): sorted({m for m in imports_of(path) if refused(m)})
        for path in paths
    }
    return {name: modules for name, modules in found.items() if modules}


@pytest.mark.parametrize("service", SERVICES)
def test_the_domain_imports_only_the_standard_library_pydantic_contracts_and_itself(
    service: str,
) -> None:
    paths = modules_of(service, "domain")
    assert paths
    own = f"services.{service}.domain"

    def refused(module: str) -> bool:
        return not (is_stdlib(module) or within(module, *DOMAIN_ALLOWED, own))

    assert offences(paths, refused) == {}


@pytest.mark.parametrize("service", SERVICES)
def test_no_domain_rule_reads_the_clock(service: str) -> None:
    calls = {
        str(path.relative_to(ROOT)): [c for c in CLOCK_CALLS if c in path.read_text("utf-8")]
        for path in modules_of(service, "domain")
    }
    assert {name: found for name, found in calls.items() if found} == {}


@pytest.mark.parametrize("service", SERVICES)
def test_the_use_cases_import_no_adapter_entrypoint_or_framework(service: str) -> None:
    paths = modules_of(service, "app")
    assert paths, f"services/{service} has no app/ room"
    outer = [f"services.{service}.{room}" for room in ("adapters", "entrypoints", "bootstrap")]

    def refused(module: str) -> bool:
        return within(module, *outer, *FRAMEWORKS)

    assert offences(paths, refused) == {}


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service(service: str) -> None:
    others = [f"services.{other}" for other in SERVICES if other != service]

    def refused(module: str) -> bool:
        return within(module, *others)

    assert offences(modules_of(service), refused) == {}
