"""The intake domain imports no infrastructure: stdlib, pydantic, contracts, the aggregate."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import services.intake.domain

DOMAIN = Path(services.intake.domain.__file__).parent
ALLOWED = ("pydantic", "contracts", "chassis.aggregate", "services.intake.domain")


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
    return modules


def allowed(module: str) -> bool:
    root = module.split(".")[0]
    return root in sys.stdlib_module_names or any(
        module == prefix or module.startswith(prefix + ".") for prefix in ALLOWED
    )


def test_the_intake_domain_imports_only_the_standard_library_pydantic_and_contracts() -> None:
    files = sorted(DOMAIN.glob("*.py"))
    assert files
    offending = {path.name: [m for m in imported_modules(path) if not allowed(m)] for path in files}
    assert {name: mods for name, mods in offending.items() if mods} == {}
