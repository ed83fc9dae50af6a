"""Loading rule books from their YAML files, with errors that name file and field.

Rule books live in ``contracts/rulebook/data/<fiscal year>.yaml``. A file may
name the year it inherits from (``inherits: "2011-12"``) and state only what
changes: the parent's resolved content is merged with the file's, mappings key
by key, anything else (numbers, lists) replaced whole. A fiscal year after the
last published file resolves to the last published rule book carried forward
(``inherits`` names it, ``published`` is false), so every year up to today has
rules and a registration made today is not refused.

Loading is strict: an unknown key, a wrong type, an unknown attribute or value
in a condition, weights that do not add up, bands with gaps, or an inheritance
cycle all fail with a :class:`RuleBookError` naming the file and the field.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from contracts.rulebook.conditions import CONDITION_TAGS
from contracts.rulebook.fiscal_year import check_fiscal_year, fiscal_year_of
from contracts.rulebook.model import RuleBook

DATA_DIRECTORY = Path(__file__).with_name("data")
"""Where the repository's rule books are kept."""

INHERITS = "inherits"
"""The key naming the fiscal year a rule-book file inherits from."""


class RuleBookError(ValueError):
    """A rule-book file is missing, unreadable or invalid."""


class RuleBookNotFound(RuleBookError, LookupError):
    """No rule book is kept for the fiscal year asked for."""


def load_rulebook(fiscal_year: str, directory: Path = DATA_DIRECTORY) -> RuleBook:
    """The rule book of a fiscal year (``"2012-13"``), inheritance resolved.

    A year with a file is that file merged over its parent. A year after the last
    file is the last file's rules carried forward, saying so. A year before the
    first file has no rule book (:class:`RuleBookNotFound`).
    """
    try:
        check_fiscal_year(fiscal_year)
    except ValueError as error:
        raise RuleBookError(str(error)) from None
    path = directory / f"{fiscal_year}.yaml"
    if path.is_file():
        return _validate(path, _resolved_content(fiscal_year, directory, ()))
    published = published_fiscal_years(directory)
    if not published or fiscal_year < published[0]:
        available = ", ".join(published) or "none"
        raise RuleBookNotFound(
            f"no rule book for fiscal year {fiscal_year} (available: {available})"
        )
    last = max(year for year in published if year < fiscal_year)
    content = _resolved_content(last, directory, ())
    content = _without_calendar(content)
    carried = {
        **content,
        "fiscal_year": fiscal_year,
        "version": f"{fiscal_year}.1",
        INHERITS: last,
        "published": False,
    }
    return _validate(directory / f"{last}.yaml", carried)


def load_rulebook_file(path: Path) -> RuleBook:
    """Read and validate one rule-book file (its parents read from the same directory)."""
    content = _read(path)
    parent = content.get(INHERITS)
    if isinstance(parent, str):
        merged = _merge(_resolved_content(parent, path.parent, (path.stem,)), content)
        return _validate(path, merged)
    return _validate(path, content)


def published_fiscal_years(directory: Path = DATA_DIRECTORY) -> list[str]:
    """The fiscal years that have a rule-book file, oldest first."""
    return sorted(path.stem for path in directory.glob("*.yaml"))


def available_fiscal_years(
    directory: Path = DATA_DIRECTORY, through: str | None = None
) -> list[str]:
    """Every fiscal year with a rule book: the first file's year through ``through``.

    ``through`` defaults to the later of the last file's year and today's fiscal
    year; years after the last file carry its rules forward.
    """
    published = published_fiscal_years(directory)
    if not published:
        return []
    last = max(published[-1], through or fiscal_year_of(date.today()))
    years, start = [], int(published[0][:4])
    while True:
        year = f"{start}-{(start + 1) % 100:02d}"
        if year > last:
            return years
        years.append(year)
        start += 1


def load_all_rulebooks(
    directory: Path = DATA_DIRECTORY, through: str | None = None
) -> dict[str, RuleBook]:
    """Every fiscal year's rule book (see :func:`available_fiscal_years`), by fiscal year."""
    return {
        year: load_rulebook(year, directory) for year in available_fiscal_years(directory, through)
    }


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RuleBookError(f"{path}: cannot be read: {error.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RuleBookError(f"{path}: is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise RuleBookError(f"{path}: must hold a mapping of rule-book fields")
    return data


def _resolved_content(fiscal_year: str, directory: Path, seen: tuple[str, ...]) -> dict[str, Any]:
    """A year's file content merged over its ancestors' (not validated)."""
    path = directory / f"{fiscal_year}.yaml"
    if fiscal_year in seen:
        chain = " -> ".join((*seen, fiscal_year))
        raise RuleBookError(f"{path}: {INHERITS}: inheritance cycle {chain}")
    if not path.is_file():
        child = directory / f"{seen[-1]}.yaml" if seen else path
        raise RuleBookNotFound(
            f"{child}: {INHERITS}: no rule book for fiscal year {fiscal_year} "
            f"({path} does not exist)"
        )
    content = _read(path)
    for key, expected in (("fiscal_year", fiscal_year),):
        if content.get(key) != expected:
            raise RuleBookError(
                f"{path}: fiscal_year: the file says {content.get(key)!r} "
                f"but its name says {expected!r}"
            )
    parent = content.get(INHERITS)
    if parent is None:
        return content
    if not isinstance(parent, str):
        raise RuleBookError(f"{path}: {INHERITS}: must name a fiscal year like '2011-12'")
    if parent >= fiscal_year:
        raise RuleBookError(f"{path}: {INHERITS}: {parent} is not an earlier fiscal year")
    return _merge(_resolved_content(parent, directory, (*seen, fiscal_year)), content)


def _without_calendar(content: dict[str, Any]) -> dict[str, Any]:
    """A planning calendar names its own year's dates: never carried forward."""
    programs = content.get("programs")
    plans = programs.get("business_plans") if isinstance(programs, dict) else None
    if not isinstance(plans, dict) or "calendar" not in plans:
        return content
    plans = {key: value for key, value in plans.items() if key != "calendar"}
    return {**content, "programs": {**programs, "business_plans": plans}}


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """``child`` over ``parent``: mappings merged key by key, other values replaced."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _validate(path: Path, content: dict[str, Any]) -> RuleBook:
    try:
        return RuleBook.model_validate(content)
    except ValidationError as error:
        raise RuleBookError(describe_errors(path, error)) from None


def describe_errors(path: Path, error: ValidationError) -> str:
    """One line per problem: ``<file>: <dotted field path>: <message>``."""
    lines = [f"{path}: invalid rule book ({error.error_count()} problem(s))"]
    for problem in error.errors(include_url=False):
        field = ".".join(str(part) for part in problem["loc"] if part not in CONDITION_TAGS)
        message = problem["msg"]
        if problem["type"] == "value_error":
            message = str(problem["ctx"]["error"])
        lines.append(f"{path}: {field or '(top level)'}: {message}")
    return "\n".join(lines)
