"""What every part of a rule book shares: strict immutable models and slug ids."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")]
"""A stable lower-case identifier, e.g. ``age-15-24-or-45-64`` or ``client_impact``."""


class RuleBookPart(BaseModel):
    """Base of every rule-book model: immutable, strict types, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, populate_by_name=True)
