"""Why the programs service refuses a command: one exception per broken rule."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from uuid import UUID


class ProgramsError(Exception):
    """A programs rule refused a command; nothing was recorded."""


class UnknownClient(ProgramsError):
    """The client is not in the programs service's view of registered clients."""

    def __init__(self, client_id: UUID) -> None:
        self.client_id = client_id
        super().__init__(f"client {client_id} is not registered")


class NoProgramRules(ProgramsError):
    """The rule book has no ``programs`` section to decide with."""

    def __init__(self, fiscal_year: str) -> None:
        self.fiscal_year = fiscal_year
        super().__init__(f"the rule book for {fiscal_year} has no programs section")


class WrongRuleBook(ProgramsError):
    """The rule book passed in is not the one of the fiscal year concerned."""

    def __init__(self, what: str, expected: str, given: str) -> None:
        self.what, self.expected, self.given = what, expected, given
        super().__init__(f"{what} falls in fiscal year {expected}, not {given}'s rule book")


class ClientNotEligible(ProgramsError):
    """The client fails one or more eligibility rules of a program; all are listed."""

    def __init__(self, client_id: UUID, program: str, findings: Sequence[str]) -> None:
        self.client_id, self.program, self.findings = client_id, program, tuple(findings)
        super().__init__(
            f"client {client_id} is not eligible for {program}: " + "; ".join(self.findings)
        )


class TrainingLengthOutOfRange(ProgramsError):
    """Second Career training must last between the rule book's min and max weeks."""

    def __init__(self, weeks: int, minimum: int, maximum: int) -> None:
        self.weeks, self.minimum, self.maximum = weeks, minimum, maximum
        super().__init__(
            f"training of {weeks} weeks is outside the {minimum} to {maximum} weeks allowed"
        )


class AcademicUpgradingTooLong(ProgramsError):
    """Academic upgrading may add at most the rule book's weeks."""

    def __init__(self, weeks: int, maximum: int) -> None:
        self.weeks, self.maximum = weeks, maximum
        super().__init__(f"academic upgrading of {weeks} weeks exceeds the {maximum} allowed")


class UnknownCostCategory(ProgramsError):
    """A cost category is not one of the rule book's."""

    def __init__(self, categories: Iterable[str], known: Iterable[str]) -> None:
        self.categories = tuple(sorted(categories))
        super().__init__(
            f"unknown cost categor{'y' if len(self.categories) == 1 else 'ies'} "
            f"{', '.join(self.categories)}; known: {', '.join(known)}"
        )


class NegativeAmount(ProgramsError):
    """Money amounts are zero or more."""

    def __init__(self, category: str, cents: int) -> None:
        self.category, self.cents = category, cents
        super().__init__(f"the {category} amount {cents} cents is negative")


class NoCostsRequested(ProgramsError):
    """An application requests at least one cost."""

    def __init__(self) -> None:
        super().__init__("a Second Career application must request at least one cost")


class ApprovedMoreThanRequested(ProgramsError):
    """A category may not be approved above what was requested in it."""

    def __init__(self, category: str, approved: int, requested: int) -> None:
        self.category, self.approved, self.requested = category, approved, requested
        super().__init__(
            f"{category}: approving {approved} cents exceeds the {requested} cents requested"
        )


class CategoryLimitExceeded(ProgramsError):
    """A category's approved amount exceeds its rule-book limit."""

    def __init__(self, category: str, approved: int, limit: int) -> None:
        self.category, self.approved, self.limit = category, approved, limit
        super().__init__(f"{category}: approving {approved} cents exceeds its limit {limit}")


class FundingCapExceeded(ProgramsError):
    """The approved total exceeds the rule book's funding cap."""

    def __init__(self, total: int, cap: int) -> None:
        self.total, self.cap = total, cap
        super().__init__(
            f"approved total {total} cents exceeds the funding cap of {cap} cents; "
            "the rest can only be a client contribution"
        )


class ExplanationRequired(ProgramsError):
    """A denial needs its reason in words."""

    def __init__(self) -> None:
        super().__init__("a denial needs an explanation")


class InvalidTransition(ProgramsError):
    """The command does not apply in the current state."""

    def __init__(self, subject: str, status: str, action: str) -> None:
        self.subject, self.status, self.action = subject, status, action
        super().__init__(f"{subject} is {status}: cannot {action}")


class NotStarted(ProgramsError):
    """The stream holds no first event (nothing was submitted, created or started)."""

    def __init__(self, stream_id: str) -> None:
        self.stream_id = stream_id
        super().__init__(f"{stream_id} holds nothing yet")


class DateInFuture(ProgramsError):
    """The programs service records facts: no date may lie after today."""

    def __init__(self, what: str, on: date, today: date) -> None:
        self.what, self.on, self.today = what, on, today
        super().__init__(f"{what} {on} is in the future (today is {today})")


class DateOutOfOrder(ProgramsError):
    """A date lies before the fact it must follow."""

    def __init__(self, what: str, on: date, earlier_what: str, earlier_on: date) -> None:
        self.what, self.on = what, on
        self.earlier_what, self.earlier_on = earlier_what, earlier_on
        super().__init__(f"{what} {on} is before {earlier_what} {earlier_on}")
