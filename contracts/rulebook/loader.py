"""Loading rule books from their YAML files, with errors that name file and field.

Rule books live in ``contracts/rulebook/data/<fiscal year>.yaml``. Loading is
strict: an unknown key, a wrong type, an unknown attribute or value in a
condition, weights that do not add up, or bands with gaps all fail with a
:class:`RuleBookError` naming the file and the field.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from contracts.rulebook.conditions import CONDITION_TAGS
from contracts.rulebook.fiscal_year import check_fiscal_year
from contracts.rulebook.model import RuleBook

DATA_DIRECTORY = Path(__file__).with_name("data")
"""Where the repository's rule books are kept."""


class RuleBookError(ValueError):
    """A rule-book file is missing, unreadable or invalid."""


class RuleBookNotFound(RuleBookError, LookupError):
    """No rule book is kept for the fiscal year asked for."""


def load_rulebook(fiscal_year: str, directory: Path = DATA_DIRECTORY) -> RuleBook:
    """The rule book of a fiscal year (``"2012-13"``), from ``<directory>/<year>.yaml``."""
    try:
        check_fiscal_year(fiscal_year)
    except ValueError as error:
        raise RuleBookError(str(error)) from None
    path = directory / f"{fiscal_year}.yaml"
    if not path.is_file():
        available = ", ".join(available_fiscal_years(directory)) or "none"
        raise RuleBookNotFound(
            f"no rule book for fiscal year {fiscal_year} (available: {available})"
        )
    rulebook = load_rulebook_file(path)
    if rulebook.fiscal_year != fiscal_year:
        raise RuleBookError(
            f"{path}: fiscal_year: the file says {rulebook.fiscal_year!r} "
            f"but its name says {fiscal_year!r}"
        )
    return rulebook


def load_rulebook_file(path: Path) -> RuleBook:
    """Read and validate one rule-book file."""
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
    try:
        return RuleBook.model_validate(data)
    except ValidationError as error:
        raise RuleBookError(describe_errors(path, error)) from None


def available_fiscal_years(directory: Path = DATA_DIRECTORY) -> list[str]:
    """The fiscal years that have a rule-book file, oldest first."""
    return sorted(path.stem for path in directory.glob("*.yaml"))


def load_all_rulebooks(directory: Path = DATA_DIRECTORY) -> dict[str, RuleBook]:
    """Every rule book kept in ``directory``, by fiscal year."""
    return {year: load_rulebook(year, directory) for year in available_fiscal_years(directory)}


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
