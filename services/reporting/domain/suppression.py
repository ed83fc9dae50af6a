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
A lone suppressed row (or column) total would be the grand total minus the
others: a second one is suppressed beside it (the smallest), else the grand
total. Non-negativity may narrow a suppressed cell's range but, with every suppressed
cell on a cycle through cells of at least 1, never to a single value.
Site staff see their own counts unsuppressed: suppression is applied only to
analyst-facing outputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    return {edges[index][0] for index in _bridge_edges([(a, b) for _, a, b in edges])}


def _bridge_edges(edges: Sequence[tuple[str, str]]) -> set[int]:
    """The indexes of the edges on no cycle of the multigraph (Tarjan, iterative, linear).

    A loop (both ends one vertex) is never a bridge; two parallel edges form a cycle.
    """
    around: dict[str, list[tuple[str, int]]] = {}
    for index, (a, b) in enumerate(edges):
        if a != b:
            around.setdefault(a, []).append((b, index))
            around.setdefault(b, []).append((a, index))
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    found: set[int] = set()
    for root in around:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[str, int, int]] = [(root, -1, 0)]  # vertex, edge in, next neighbour
        while stack:
            vertex, edge_in, position = stack[-1]
            neighbours = around[vertex]
            if position < len(neighbours):
                stack[-1] = (vertex, edge_in, position + 1)
                there, index = neighbours[position]
                if index == edge_in:
                    continue
                if there in order:
                    low[vertex] = min(low[vertex], order[there])
                else:
                    order[there] = low[there] = len(order)
                    stack.append((there, index, 0))
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[vertex])
                if low[vertex] > order[parent]:
                    found.add(edge_in)
    return found


def suppress_small_cells(
    cells: Sequence[Sequence[int]],
    small_max: int,
    *,
    hidden_cells: Iterable[Cell] = (),
    hidden_row_totals: Iterable[int] = (),
) -> SuppressedTable:
    """The table with counts 1..``small_max`` and their complements suppressed.

    ``hidden_cells`` and ``hidden_row_totals`` are suppressed whatever their value
    (another table already hides the same quantity); their complements follow.
    """
    rows, columns = len(cells), len(cells[0]) if cells else 0
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(cells[i][j] for i in range(rows)) for j in range(columns)]
    grand = sum(row_totals)
    hidden = {(i, j) for i in range(rows) for j in range(columns) if _small(cells[i][j], small_max)}
    hidden |= set(hidden_cells)
    hidden_rows = {i for i, total in enumerate(row_totals) if _small(total, small_max)}
    hidden_rows |= set(hidden_row_totals)
    hidden_columns = {j for j, total in enumerate(column_totals) if _small(total, small_max)}
    grand_published = not _small(grand, small_max)
    if grand_published:  # a lone hidden total is the grand total minus the others
        hidden_rows = _lone_total_partner(row_totals, hidden_rows)
        hidden_columns = _lone_total_partner(column_totals, hidden_columns)
        if len(hidden_rows) == 1 or len(hidden_columns) == 1:
            grand_published = False
    hidden |= _row_partners(cells, hidden, hidden_rows)
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


def _lone_total_partner(totals: Sequence[int], hidden: set[int]) -> set[int]:
    """``hidden`` with the smallest other total above zero when it holds exactly one."""
    if len(hidden) != 1:
        return hidden
    others = [(total, k) for k, total in enumerate(totals) if k not in hidden and total > 0]
    return hidden | {min(others)[1]} if others else hidden


def _row_partners(
    cells: Sequence[Sequence[int]], hidden: set[Cell], hidden_rows: set[int]
) -> set[Cell]:
    """For each row with a published total and one hidden cell (a bridge: the total
    gives it), its smallest other count above zero: what the loop below would add
    first, one row at a time, found here for all rows in one pass."""
    partners: set[Cell] = set()
    for i, row in enumerate(cells):
        mine = [j for j in range(len(row)) if (i, j) in hidden]
        if i in hidden_rows or len(mine) != 1:
            continue
        others = [(value, j) for j, value in enumerate(row) if j != mine[0] and value > 0]
        if others:
            partners.add((i, min(others)[1]))
    return partners


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
    around: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for a, b in hidden:
        around.setdefault(("R", a), []).append(("C", b))
        around.setdefault(("C", b), []).append(("R", a))
    seen, frontier = {start}, [start]
    while frontier:
        for neighbour in around.get(frontier.pop(), ()):
            if neighbour not in seen:
                seen.add(neighbour)
                frontier.append(neighbour)
    return seen


def suppress_small_list(
    values: Sequence[int], small_max: int, *, hidden: Iterable[int] = ()
) -> tuple[list[int | None], int | None]:
    """A list of counts and its published total: counts 1..``small_max`` (and ``hidden``)
    suppressed, with one more (the smallest count above zero) when a single one would
    otherwise follow from the total; the total is suppressed when small or when no
    count is left to hide beside a lone suppressed one."""
    shown_total = not _small(sum(values), small_max)
    withheld = {i for i, value in enumerate(values) if _small(value, small_max)} | set(hidden)
    if shown_total and len(withheld) == 1:
        others = [(value, i) for i, value in enumerate(values) if i not in withheld and value > 0]
        if others:
            withheld.add(min(others)[1])
        else:
            shown_total = False
    return (
        [None if i in withheld else value for i, value in enumerate(values)],
        sum(values) if shown_total else None,
    )
