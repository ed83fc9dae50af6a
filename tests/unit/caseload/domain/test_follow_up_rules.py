"""Follow-up windows come from the rule book, loaded strictly like the rest of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from contracts.caseload import FollowUpCheckpoint, Outcome
from contracts.rulebook import (
    DATA_DIRECTORY,
    FollowUpRules,
    FollowUpWindowRule,
    RuleBookError,
    load_rulebook,
)
from services.caseload.domain import (
    FollowUpOutsideWindow,
    NoFollowUpRules,
    follow_up_windows,
)
from tests.unit.caseload.domain.builders import EXIT_DATE, TODAY, closed_plan

YEARS = ["2010-11", "2011-12", "2012-13", "2013-14"]
THREE = FollowUpCheckpoint.THREE_MONTHS


@pytest.mark.parametrize("year", YEARS)
def test_each_rule_book_sets_every_checkpoints_window(year: str) -> None:
    rules = load_rulebook(year).follow_ups
    assert rules is not None
    assert {
        checkpoint: (rule.days_before_due, rule.days_after_due)
        for checkpoint, rule in rules.windows.items()
    } == {checkpoint: (14, 28) for checkpoint in FollowUpCheckpoint}


def test_the_domain_reads_the_windows_the_rule_book_sets() -> None:
    windows = follow_up_windows(load_rulebook("2012-13"))
    assert set(windows) == set(FollowUpCheckpoint)
    assert (windows[THREE].opens(EXIT_DATE), windows[THREE].closes(EXIT_DATE)) == (
        date(2012, 9, 1),
        date(2012, 10, 13),
    )


def test_a_changed_rule_book_moves_the_dates_a_follow_up_is_accepted_on() -> None:
    book = load_rulebook("2012-13")
    assert book.follow_ups is not None
    wider = book.model_copy(
        update={
            "follow_ups": FollowUpRules(
                windows=book.follow_ups.windows
                | {THREE: FollowUpWindowRule(days_before_due=30, days_after_due=28)}
            )
        }
    )
    early = date(2012, 8, 16)  # 30 days before the 3-month due date of a 15 June exit
    with pytest.raises(FollowUpOutsideWindow):
        closed_plan().record_follow_up(
            THREE, Outcome.UNKNOWN, recorded_on=early, today=TODAY, windows=follow_up_windows(book)
        )
    plan = closed_plan()
    plan.record_follow_up(
        THREE, Outcome.UNKNOWN, recorded_on=early, today=TODAY, windows=follow_up_windows(wider)
    )
    assert THREE in plan.follow_ups


def test_a_rule_book_without_follow_ups_loads_but_sets_no_window(tmp_path: Path) -> None:
    text = (DATA_DIRECTORY / "2012-13.yaml").read_text(encoding="utf-8")
    start, end = text.index("\nfollow_ups:"), text.index("\n# Ministry-run programs")
    path = tmp_path / "2012-13.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    book = load_rulebook("2012-13", tmp_path)
    assert book.follow_ups is None
    with pytest.raises(NoFollowUpRules, match="2012-13"):
        follow_up_windows(book)


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "    12: {days_before_due: 14, days_after_due: 28}\n",
            "",
            "follow_ups",
            "follow-up windows missing for checkpoint(s) 12",
        ),
        (
            "    3: {days_before_due: 14, days_after_due: 28}",
            "    3: {days_before_due: -1, days_after_due: 28}",
            "follow_ups.windows.3.days_before_due",
            "greater than or equal to 0",
        ),
        (
            "    6: {days_before_due: 14, days_after_due: 28}",
            "    6: {days_before_due: 14, days_after_due: 28}\n    9: {days_before_due: 14, "
            "days_after_due: 28}",
            "follow_ups.windows.9.[key]",
            "3, 6 or 12",
        ),
        (
            "    3: {days_before_due: 14, days_after_due: 28}",
            "    3: {days_before_due: 14, days_after: 28}",
            "follow_ups.windows.3.days_after",
            "Extra inputs are not permitted",
        ),
    ],
)
def test_a_malformed_follow_ups_section_gives_an_error_naming_the_file_and_the_field(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    text = (DATA_DIRECTORY / "2012-13.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "2012-13.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleBookError) as caught:
        load_rulebook("2012-13", tmp_path)
    lines = str(caught.value).splitlines()
    assert any(line.startswith(f"{path}: {field}: ") and message in line for line in lines), lines
