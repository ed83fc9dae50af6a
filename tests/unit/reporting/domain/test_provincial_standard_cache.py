"""The provincial standard ``score_counts`` uses is the rule book's own, cached per book object."""

from __future__ import annotations

from contracts.rulebook import load_rulebook
from services.reporting.domain.scoring import provincial_standard


def test_the_cached_standard_is_each_books_own_and_follows_a_changed_copy() -> None:
    book = load_rulebook("2012-13")
    assert provincial_standard(book) == book.derived_sqs_standard()
    assert provincial_standard(book) == book.derived_sqs_standard()  # from the cache
    measure = book.measures["client_impact"].model_copy(update={"target": 0.5})
    changed = book.model_copy(update={"measures": {**book.measures, "client_impact": measure}})
    assert changed.derived_sqs_standard() != book.derived_sqs_standard()
    assert provincial_standard(changed) == changed.derived_sqs_standard()
    assert provincial_standard(book) == book.derived_sqs_standard()
