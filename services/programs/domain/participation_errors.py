"""Refusals particular to JCP projects, SEB participations and business plans."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from services.programs.domain.errors import ProgramsError


class ProjectTooLong(ProgramsError):
    """A JCP project lasts at most the rule book's weeks (7 days each, both ends counted)."""

    def __init__(self, days: int, max_weeks: int) -> None:
        self.days, self.max_weeks = days, max_weeks
        super().__init__(
            f"a JCP project of {days} days is longer than {max_weeks} weeks ({max_weeks * 7} days)"
        )


class OutsideProjectDates(ProgramsError):
    """Placements lie within the project's start and end dates."""

    def __init__(self, what: str, on: date, starts_on: date, ends_on: date) -> None:
        self.what, self.on, self.starts_on, self.ends_on = what, on, starts_on, ends_on
        super().__init__(f"{what} {on} is outside the project's dates {starts_on} to {ends_on}")


class AlreadyPlaced(ProgramsError):
    """A client is placed on a project once."""

    def __init__(self, client_id: UUID) -> None:
        self.client_id = client_id
        super().__init__(f"client {client_id} is already placed on this project")


class NotPlaced(ProgramsError):
    """Only a placed participant's participation can complete."""

    def __init__(self, client_id: UUID) -> None:
        self.client_id = client_id
        super().__init__(f"client {client_id} is not placed on this project")


class ParticipationAlreadyCompleted(ProgramsError):
    """A participation completes once."""

    def __init__(self, client_id: UUID) -> None:
        self.client_id = client_id
        super().__init__(f"client {client_id}'s participation is already completed")


class ParticipationTooLong(ProgramsError):
    """SEB lasts at most the rule book's weeks."""

    def __init__(self, weeks: int, max_weeks: int) -> None:
        self.weeks, self.max_weeks = weeks, max_weeks
        super().__init__(f"{weeks} weeks of SEB exceeds the {max_weeks} weeks allowed")


class NoWeeksPlanned(ProgramsError):
    """SEB is planned for at least one week."""

    def __init__(self, weeks: int) -> None:
        self.weeks = weeks
        super().__init__(f"SEB must be planned for at least 1 week, not {weeks}")


class NoSelfEmploymentPlan(ProgramsError):
    """SEB follows an open ES plan of the client, at the site, that names self-employment."""

    def __init__(self, client_id: UUID, plan_id: UUID) -> None:
        self.client_id, self.plan_id = client_id, plan_id
        super().__init__(
            f"service plan {plan_id} of client {client_id} is not an open plan at this site "
            "that names self-employment (as far as caseload's events have told programs)"
        )


class BusinessPlanApprovedAlready(ProgramsError):
    """An approved business plan can no longer change."""

    def __init__(self, site_id: str, fiscal_year: str, action: str) -> None:
        self.site_id, self.fiscal_year, self.action = site_id, fiscal_year, action
        super().__init__(f"{site_id}'s {fiscal_year} business plan is approved: cannot {action}")


class UnknownMeasures(ProgramsError):
    """Commitments name measures the rule book does not have."""

    def __init__(self, where: str, measure_ids: Iterable[str], known: Iterable[str]) -> None:
        self.where, self.measure_ids = where, tuple(sorted(measure_ids))
        super().__init__(
            f"{where} name unknown measure(s) {', '.join(self.measure_ids)}; "
            f"known: {', '.join(known)}"
        )


class MissingCommitments(ProgramsError):
    """A business plan commits to every core measure."""

    def __init__(self, measure_ids: Iterable[str]) -> None:
        self.measure_ids = tuple(sorted(measure_ids))
        super().__init__(f"the plan has no commitment for {', '.join(self.measure_ids)}")


class PercentOutOfRange(ProgramsError):
    """Commitments are percentages from 0 to 100."""

    def __init__(self, measure_id: str, value: float) -> None:
        self.measure_id, self.value = measure_id, value
        super().__init__(f"{measure_id}: {value} is not a percentage from 0 to 100")


class NegativeCount(ProgramsError):
    """Planned client counts are zero or more."""

    def __init__(self, field: str, value: int) -> None:
        self.field, self.value = field, value
        super().__init__(f"{field} must be zero or more, not {value}")


class ContinuousImprovementRequired(ProgramsError):
    """From 2012-13 a plan names at least one continuous improvement commitment."""

    def __init__(self, fiscal_year: str) -> None:
        self.fiscal_year = fiscal_year
        super().__init__(
            f"a {fiscal_year} business plan must name at least one continuous "
            "improvement commitment"
        )
