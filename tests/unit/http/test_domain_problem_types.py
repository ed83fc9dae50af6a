"""Domain exceptions get stable, documented problem types."""

from __future__ import annotations

from chassis.http.problem_handlers import domain_problem_title, domain_problem_uri


class PlanClosed(Exception):
    """The service plan is closed.

    Nothing more can be added to it.
    """


class UnknownClientError(Exception):
    pass


def test_the_type_uri_is_the_kebab_cased_class_name_under_problems() -> None:
    assert domain_problem_uri(PlanClosed) == "/problems/plan-closed"
    assert domain_problem_uri(UnknownClientError) == "/problems/unknown-client"


def test_the_title_is_the_first_docstring_line_or_the_name_in_words() -> None:
    assert domain_problem_title(PlanClosed) == "The service plan is closed"
    assert domain_problem_title(UnknownClientError) == "Unknown client error"
