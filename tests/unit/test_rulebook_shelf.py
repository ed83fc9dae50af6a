"""One rule-book shelf for every service: the rule book of a decision's fiscal year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from contracts.rulebook import NoRuleBookForDate, RuleBook, RuleBookShelf, load_rulebook


def test_a_day_finds_the_rule_book_of_its_fiscal_year() -> None:
    shelf = RuleBookShelf()
    assert shelf.for_day(date(2013, 3, 31)).fiscal_year == "2012-13"
    assert shelf.for_day(date(2012, 4, 1)) is shelf.for_year("2012-13", date(2012, 4, 1))


def test_a_year_without_a_rule_book_is_refused_naming_year_and_day() -> None:
    with pytest.raises(NoRuleBookForDate) as refused:
        RuleBookShelf().for_day(date(1999, 6, 1))
    assert (refused.value.fiscal_year, refused.value.day) == ("1999-00", date(1999, 6, 1))
    assert "1999-00" in str(refused.value)


def test_each_year_is_read_once_from_the_shelf_directory(tmp_path: Path) -> None:
    reads: list[tuple[str, Path]] = []

    def counting_load(year: str, directory: Path) -> RuleBook:
        reads.append((year, directory))
        return load_rulebook(year)

    shelf = RuleBookShelf(tmp_path, load=counting_load)
    for _ in range(3):
        shelf.for_day(date(2012, 9, 1))
    assert reads == [("2012-13", tmp_path)]
