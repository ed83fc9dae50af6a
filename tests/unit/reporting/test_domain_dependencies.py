"""Reporting's domain imports only the standard library, pydantic and contracts."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import services.reporting.domain

DOMAIN = Path(services.reporting.domain.__file__).parent
ALLOWED = {"pydantic", "contracts", "services.reporting.domain"}


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    return modules


def is_allowed(module: str) -> bool:
    root = module.partition(".")[0]
    if root in sys.stdlib_module_names or root == "__future__":
        return True
    return any(module == allowed or module.startswith(f"{allowed}.") for allowed in ALLOWED)


def test_the_domain_imports_only_stdlib_pydantic_and_contracts() -> None:
    modules = sorted(DOMAIN.glob("*.py"))
    assert modules
    for path in modules:
        forbidden = sorted(m for m in imported_modules(path) if not is_allowed(m))
        assert not forbidden, f"{path.name} imports {forbidden}"
