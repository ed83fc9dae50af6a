"""Small-cell suppression for analyst-facing tables (DOMAIN.md, "Privacy in analysts' outputs").

A count from 1 to the rule book's ``small_cell_max`` (4, as Ontario's open data)
is suppressed, and so is any cell from which it could be derived
(*complementary suppression*). The table's row totals, column totals and grand
total are published (a total that is itself small is suppressed too).

When is a suppressed cell derivable? Each published total is an equation over
its line's cells. Draw the suppressed cells as edges between their row and
their column (rows, and columns, whose totals are suppressed are merged into
one vertex each, whose equation the grand total gives). The published
equations fix an edge's value exactly when the edge is a *bridge* (on no
cycle): any cycle lets its cells move by +1, -1, +1, ... keeping every total.
So suppression adds cells until no suppressed cell is a bridge: a cell joining
the bridge's two sides if there is one, else the cheapest rectangle around it;
if that is impossible it suppresses the totals.
Non-negativity may narrow a suppressed cell's range but, with every suppressed
cell on a cycle through cells of at least 1, never to a single value.
Site staff see their own counts unsuppressed: suppression is applied only to
analyst-facing outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Cell = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable:
    """A table with suppressed cells and totals as None."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    grand_total: int | None

    @property
    def suppressed(self) -> set[Cell]:
        """The suppressed cells' positions."""
        return {
            (i, j)
            for i, row in enumerate(self.cells)
            for j, value in enumerate(row)
            if value is None
        }


def _small(value: int, small_max: int) -> bool:
    return 1 <= value <= small_max


def bridges(
    hidden: set[Cell], hidden_rows: set[int], hidden_columns: set[int], grand_published: bool
) -> set[Cell]:
    """The suppressed cells the published totals determine (see the module docstring)."""

    def row(i: int) -> str:
        return "R*" if i in hidden_rows else f"R{i}"

    def column(j: int) -> str:
        return "C*" if j in hidden_columns else f"C{j}"

    # A bridge is determined: the equations on its side without a free vertex sum to it.
    edges = [(cell, row(cell[0]), column(cell[1])) for cell in sorted(hidden)]
    if not grand_published:  # the merged vertices have no equation then: one free vertex
        edges = [(cell, "G" if a == "R*" else a, "G" if b == "C*" else b) for cell, a, b in edges]
    determined: set[Cell] = set()
    for index, (cell, a, b) in enumerate(edges):
        if a == b:  # both ends free: a loop, never determined
            continue
        rest = [e for k, e in enumerate(edges) if k != index]
        if not _connected(a, b, rest):
            determined.add(cell)
    return determined


def _connected(start: str, goal: str, edges: Sequence[tuple[Cell, str, str]]) -> bool:
    seen, frontier = {start}, [start]
    while frontier:
        vertex = frontier.pop()
        if vertex == goal:
            return True
        for _, a, b in edges:
            for here, there in ((a, b), (b, a)):
                if here == vertex and there not in seen:
                    seen.add(there)
                    frontier.append(there)
    return False


def suppress_small_cells(cells: Sequence[Sequence[int]], small_max: int) -> SuppressedTable:
    """The table with counts 1..``small_max`` and their complements suppressed."""
    rows, columns = len(cells), len(cells[0]) if cells else 0
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(cells[i][j] for i in range(rows)) for j in range(columns)]
    grand = sum(row_totals)
    hidden = {(i, j) for i in range(rows) for j in range(columns) if _small(cells[i][j], small_max)}
    hidden_rows = {i for i, total in enumerate(row_totals) if _small(total, small_max)}
    hidden_columns = {j for j, total in enumerate(column_totals) if _small(total, small_max)}
    grand_published = not _small(grand, small_max)
    while True:
        determined = bridges(hidden, hidden_rows, hidden_columns, grand_published)
        if not determined:
            break
        bridge = min(determined)
        candidates = _complement(cells, hidden, bridge) or _rectangle(cells, hidden, bridge)
        if candidates:
            hidden |= candidates
            continue
        # No count left to hide beside it: suppress every total (no equation is left).
        hidden_rows, hidden_columns = set(range(rows)), set(range(columns))
        grand_published = False
        break
    return SuppressedTable(
        cells=[
            [None if (i, j) in hidden else cells[i][j] for j in range(columns)] for i in range(rows)
        ],
        row_totals=[None if i in hidden_rows else t for i, t in enumerate(row_totals)],
        column_totals=[None if j in hidden_columns else t for j, t in enumerate(column_totals)],
        grand_total=grand if grand_published else None,
    )


def _rectangle(cells: Sequence[Sequence[int]], hidden: set[Cell], bridge: Cell) -> set[Cell]:
    """The cheapest cells closing a rectangle (i, j), (i, b), (a, b), (a, j) around the
    bridge, none of them a zero; else one cell of its row or column (it grows a side)."""
    i, j = bridge
    best: tuple[int, set[Cell]] | None = None
    for a in range(len(cells)):
        for b in range(len(cells[0])):
            if a == i or b == j:
                continue
            corners = {(i, b), (a, b), (a, j)} - hidden
            if any(cells[x][y] == 0 for x, y in corners):
                continue
            cost = sum(cells[x][y] for x, y in corners)
            if best is None or (cost, sorted(corners)) < (best[0], sorted(best[1])):
                best = (cost, corners)
    if best is not None:
        return best[1]
    line = [
        (cells[a][b], (a, b))
        for a in range(len(cells))
        for b in range(len(cells[0]))
        if (a == i or b == j) and (a, b) not in hidden and cells[a][b] > 0
    ]
    return {min(line)[1]} if line else set()


def _complement(cells: Sequence[Sequence[int]], hidden: set[Cell], bridge: Cell) -> set[Cell]:
    """A cell joining the two sides ``bridge`` separates (it closes a cycle at once).

    Smallest count first; never a zero: with every suppressed cell at least 1, a
    cycle can move both ways (+1 / -1) without a negative count, so no suppressed
    value is pinned by non-negativity either. Empty when no such cell exists.
    """
    i, j = bridge
    rest = hidden - {bridge}
    row_side, column_side = _side(("R", i), rest), _side(("C", j), rest)
    rows, columns = range(len(cells)), range(len(cells[0]))

    def joins(a: int, b: int) -> bool:
        return (("R", a) in row_side and ("C", b) in column_side) or (
            ("R", a) in column_side and ("C", b) in row_side
        )

    options = [
        (cells[a][b], (a, b))
        for a in rows
        for b in columns
        if (a, b) not in hidden and cells[a][b] > 0 and joins(a, b)
    ]
    return {min(options)[1]} if options else set()


def _side(start: tuple[str, int], hidden: set[Cell]) -> set[tuple[str, int]]:
    """The row and column vertices reachable from ``start`` through hidden cells."""
    seen, frontier = {start}, [start]
    while frontier:
        kind, index = frontier.pop()
        for a, b in hidden:
            if kind == "R" and a == index:
                neighbour = ("C", b)
            elif kind == "C" and b == index:
                neighbour = ("R", a)
            else:
                continue
            if neighbour not in seen:
                seen.add(neighbour)
                frontier.append(neighbour)
    return seen
