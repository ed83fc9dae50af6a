"""Escaping in the caseworker front end happens in one place: ``services.web.markup.text``."""

from __future__ import annotations

import ast
from pathlib import Path

import services.web
from services.web.markup import text

PACKAGE = Path(services.web.__file__).parent


def test_text_escapes_element_content_and_quoted_attributes() -> None:
    assert text('<a href="x">O\'Brien & co</a>') == (
        "&lt;a href=&quot;x&quot;&gt;O&#x27;Brien &amp; co&lt;/a&gt;"
    )
    assert text(None) == ""
    assert text(42) == "42"


def test_no_other_module_of_the_front_end_escapes_on_its_own() -> None:
    offenders = []
    for module in sorted(PACKAGE.glob("*.py")):
        if module.name == "markup.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name == "html" or name.startswith("html.") for name in names):
                offenders.append(module.name)
    assert offenders == [], "escape with services.web.markup.text, not html.escape"
