"""Writes what analysts may not see of the stored measures, for the analysts' SQL views.

:func:`release_stale_years` recomputes the withheld counts
(:func:`~services.reporting.app.suppression.withheld_marks`, the rule the API
applies) of every fiscal year whose read model changed since they were last
written, and records which read model they were computed from
(``reporting_released_years``: how many site-years, the latest refresh). The
views show a year only while that still matches, so a row the refresher
rewrote after the marks is hidden until the next release, never shown
unchecked. A year changed again while its marks were being computed is left
for the next call.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.reporting.adapters.tables import released_years, site_years, withheld_counts
from services.reporting.app.ports import ReadModel
from services.reporting.app.suppression import withheld_marks

Source = tuple[int, object]
"""(site-years, latest refresh) of a fiscal year's read model."""


async def _sources(connection: AsyncConnection) -> dict[str, Source]:
    query = sa.select(
        site_years.c.fiscal_year, sa.func.count(), sa.func.max(site_years.c.refreshed_at)
    ).group_by(site_years.c.fiscal_year)
    return {row[0]: (row[1], row[2]) for row in await connection.execute(query)}


async def _released(connection: AsyncConnection) -> dict[str, Source]:
    query = sa.select(
        released_years.c.fiscal_year, released_years.c.site_years, released_years.c.refreshed_at
    )
    return {row[0]: (row[1], row[2]) for row in await connection.execute(query)}


async def release_stale_years(engine: AsyncEngine, repository: ReadModel) -> list[str]:
    """Rewrite the withheld counts of every fiscal year whose read model changed; the
    years released."""
    async with engine.connect() as connection:
        sources, released = await _sources(connection), await _released(connection)
    done = []
    for fiscal_year, source in sorted(sources.items()):
        if released.get(fiscal_year) == source:
            continue
        marks = await withheld_marks(repository, fiscal_year)
        async with engine.begin() as connection:
            if (await _sources(connection)).get(fiscal_year) != source:
                continue  # changed meanwhile: the next call computes it again
            await connection.execute(
                withheld_counts.delete().where(withheld_counts.c.fiscal_year == fiscal_year)
            )
            if marks:
                await connection.execute(
                    withheld_counts.insert(),
                    [
                        {
                            "fiscal_year": fiscal_year,
                            "period": mark.period,
                            "site_id": mark.site_id,
                            "measure_id": mark.measure_id,
                            "numerator": mark.numerator,
                            "denominator": mark.denominator,
                        }
                        for mark in marks
                    ],
                )
            await connection.execute(
                released_years.delete().where(released_years.c.fiscal_year == fiscal_year)
            )
            await connection.execute(
                released_years.insert().values(
                    fiscal_year=fiscal_year,
                    site_years=source[0],
                    refreshed_at=source[1],
                    released_at=datetime.now(UTC),
                )
            )
        done.append(fiscal_year)
    return done
