"""Small-cell suppression: counts 1-4 hidden, and no hidden value derivable from the totals.

The check of derivability is independent of the code's bridge argument: it
enumerates the non-negative integer fillings of the suppressed cells near the
true counts that keep every published total, and asks whether some suppressed
cell takes the same value in all of them.
"""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from services.reporting.domain.suppression import SuppressedTable, suppress_small_cells

SMALL = 4


def fillings(table: SuppressedTable, truth: list[list[int]]) -> list[dict[tuple[int, int], int]]:
    """Every non-negative filling of the suppressed cells within 2 of the true counts that
    keeps the published totals (a wider search can only find more fillings, so a cell
    with several values here is certainly not derivable)."""
    hidden = sorted(table.suppressed)
    rows, columns = len(table.cells), len(table.cells[0])
    ranges = [range(max(0, truth[i][j] - 2), truth[i][j] + 3) for i, j in hidden]
    found = []
    for values in product(*ranges):
        filled = dict(zip(hidden, values, strict=True))
        grid = [[table.cells[i][j] if (i, j) not in filled else filled[(i, j)]
                 for j in range(columns)] for i in range(rows)]  # fmt: skip
        if any(t is not None and sum(grid[i]) != t for i, t in enumerate(table.row_totals)):
            continue
        if any(
            t is not None and sum(grid[i][j] for i in range(rows)) != t
            for j, t in enumerate(table.column_totals)
        ):
            continue
        if table.grand_total is not None and sum(map(sum, grid)) != table.grand_total:
            continue
        found.append(filled)
    return found


def derivable(table: SuppressedTable, truth: list[list[int]]) -> set[tuple[int, int]]:
    """Suppressed cells with one value in every consistent filling found."""
    solutions = fillings(table, truth)
    return {cell for cell in table.suppressed if len({s[cell] for s in solutions}) == 1}


def test_a_lone_small_cell_takes_a_complement_in_its_row_and_column() -> None:
    cells = [[20, 3, 15], [12, 9, 30], [25, 18, 11]]
    table = suppress_small_cells(cells, SMALL)
    assert (0, 1) in table.suppressed and len(table.suppressed) == 4  # a 2 x 2 rectangle
    assert table.row_totals == [38, 51, 54] and table.grand_total == 143
    assert derivable(table, cells) == set()


def test_counts_of_five_and_zero_are_shown() -> None:
    table = suppress_small_cells([[5, 0], [7, 9]], SMALL)
    assert table.suppressed == set()


@settings(max_examples=80, deadline=None)
@given(
    st.integers(2, 3).flatmap(
        lambda columns: st.lists(
            st.lists(st.sampled_from([0, 1, 2, 4, 5, 6, 9]), min_size=columns, max_size=columns),
            min_size=2,
            max_size=3,
        )
    )
)
def test_no_suppressed_value_can_be_derived_from_the_published_totals(
    cells: list[list[int]],
) -> None:
    table = suppress_small_cells(cells, SMALL)
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            if 1 <= value <= SMALL:
                assert (i, j) in table.suppressed
            if (i, j) not in table.suppressed:
                assert table.cells[i][j] == value
    if len(table.suppressed) <= 6:  # the search grows as 5 ** suppressed
        assert derivable(table, cells) == set()
