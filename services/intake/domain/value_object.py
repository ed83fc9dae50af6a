"""Base of intake's validated value objects: invalid input raises a domain error."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from services.intake.domain.errors import IntakeError


class ValueObject(BaseModel):
    """An immutable value checked on construction.

    Construct with keyword arguments: a problem raises the subclass's ``invalid``
    error, whose message lists each field and what is wrong with it but never
    the value given (values may be personal details).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    invalid: ClassVar[type[IntakeError]]

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise self.invalid(_describe(type(self).__name__, error)) from None


def _describe(model: str, error: ValidationError) -> str:
    """``"Profile: hours_worked_per_week: Input should be ..."``, one clause per problem."""
    problems = []
    for problem in error.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in problem["loc"]) or "(whole value)"
        message = problem["msg"]
        if problem["type"] == "value_error":
            message = str(problem["ctx"]["error"])
        problems.append(f"{field}: {message}")
    return f"{model}: " + "; ".join(problems)
