"""A small, safe condition language over derived profile attributes (no ``eval``).

A condition is data the ministry can edit in a rule-book file:

- a comparison: ``{attribute: months_out_of_work, op: at_least, value: 6}``,
  with ``op`` one of ``equals``, ``one_of``, ``at_least``, ``at_most``, ``contains``;
- ``{any_of: [condition, ...]}``, ``{all_of: [condition, ...]}``, ``{not: condition}``.

Attributes, operators and values are checked against
:data:`~contracts.rulebook.attributes.PROFILE_ATTRIBUTES` when the file loads.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
)

from contracts.rulebook.attributes import PROFILE_ATTRIBUTES

Facts = Mapping[str, Any]
"""Derived profile attributes by name, as a condition reads them."""

Operator = Literal["equals", "one_of", "at_least", "at_most", "contains"]

_OPERATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": operator.eq,
    "one_of": lambda fact, values: fact in values,
    "at_least": operator.ge,
    "at_most": operator.le,
    "contains": lambda fact, value: value in fact,
}


class _ConditionModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Comparison(_ConditionModel):
    """Compares one attribute with a value: ``{attribute, op, value}``."""

    attribute: str
    op: Operator
    value: Any

    @field_validator("attribute")
    @classmethod
    def _known_attribute(cls, attribute: str) -> str:
        if attribute not in PROFILE_ATTRIBUTES:
            known = ", ".join(PROFILE_ATTRIBUTES)
            raise ValueError(f"unknown attribute {attribute!r}; known attributes: {known}")
        return attribute

    @field_validator("value")
    @classmethod
    def _value_fits_attribute(cls, value: Any, info: ValidationInfo) -> Any:
        attribute, op = info.data.get("attribute"), info.data.get("op")
        if attribute is None or op is None:
            return value  # already reported on the attribute or op field
        kind = PROFILE_ATTRIBUTES[attribute]
        if op not in kind.operators:
            allowed = ", ".join(sorted(kind.operators))
            raise ValueError(f"op {op!r} does not apply to {attribute}; use {allowed}")
        try:
            return kind.check_value(op, value)
        except ValueError as error:
            raise ValueError(f"bad value for {attribute}: {error}") from None

    def holds(self, facts: Facts) -> bool:
        """Whether the attribute's value in ``facts`` satisfies the comparison."""
        try:
            fact = facts[self.attribute]
        except KeyError:
            raise LookupError(f"the facts have no attribute {self.attribute!r}") from None
        return _OPERATIONS[self.op](fact, self.value)


class AnyOf(_ConditionModel):
    """Holds when at least one of its conditions holds."""

    any_of: list[Condition] = Field(min_length=1)

    def holds(self, facts: Facts) -> bool:
        """Whether any inner condition holds."""
        return any(condition.holds(facts) for condition in self.any_of)


class AllOf(_ConditionModel):
    """Holds when every one of its conditions holds."""

    all_of: list[Condition] = Field(min_length=1)

    def holds(self, facts: Facts) -> bool:
        """Whether every inner condition holds."""
        return all(condition.holds(facts) for condition in self.all_of)


class Not(_ConditionModel):
    """Holds when its condition does not."""

    negated: Condition = Field(alias="not")

    def holds(self, facts: Facts) -> bool:
        """Whether the inner condition fails."""
        return not self.negated.holds(facts)


def _condition_tag(value: Any) -> str | None:
    """Which kind of condition a YAML mapping (or a model) is, by its keys."""
    if isinstance(value, _ConditionModel):
        return _TAGS[type(value)]
    if isinstance(value, dict):
        for key, model in (("any_of", AnyOf), ("all_of", AllOf), ("not", Not)):
            if key in value:
                return _TAGS[model]
        return _TAGS[Comparison]
    return None


_TAGS: dict[type[_ConditionModel], str] = {
    model: model.__name__ for model in (Comparison, AnyOf, AllOf, Not)
}
CONDITION_TAGS = frozenset(_TAGS.values())
"""The names pydantic puts in an error's location to say which kind of condition failed."""

Condition = Annotated[
    Annotated[Comparison, Tag("Comparison")]
    | Annotated[AnyOf, Tag("AnyOf")]
    | Annotated[AllOf, Tag("AllOf")]
    | Annotated[Not, Tag("Not")],
    Discriminator(
        _condition_tag,
        custom_error_type="condition",
        custom_error_message=(
            "a condition is a mapping: {attribute, op, value}, {any_of: [...]}, "
            "{all_of: [...]} or {not: ...}"
        ),
    ),
]
"""Any condition: a comparison or a combination of conditions."""

for _model in _TAGS:
    _model.model_rebuild()
