"""No two modules of the reporting service import each other, directly or through others."""

from __future__ import annotations

import ast
from pathlib import Path

import services.reporting

ROOT = Path(services.reporting.__file__).parent
PACKAGE = "services.reporting"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((PACKAGE, *parts))


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The service's modules ``path`` imports anywhere in it (function bodies included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(name for name in names if name in known)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in ROOT.rglob("*.py") if "migrations" not in p.parts}
    known = set(paths)
    return {name: imports_of(path, known) - {name} for name, path in paths.items()}


def cycle_from(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A path of imports from ``start`` back to itself, if one exists."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        module, path = stack.pop()
        for imported in sorted(graph[module]):
            if imported == start:
                return [*path, start]
            # A package's __init__ importing its own modules is how packages re-export.
            if imported not in seen and not start.startswith(f"{imported}."):
                seen.add(imported)
                stack.append((imported, [*path, imported]))
    return None


def test_the_import_graph_holds_the_imports_written_in_the_modules() -> None:
    graph = import_graph()
    assert "services.reporting.app.queries" in graph["services.reporting.entrypoints.http"]
    assert "services.reporting.domain" in graph["services.reporting.app.queries"]


def test_no_module_of_reporting_imports_itself_through_others() -> None:
    graph = import_graph()
    cycles = [c for c in (cycle_from(graph, m) for m in sorted(graph)) if c is not None]
    assert not cycles, " -> ".join(cycles[0])
