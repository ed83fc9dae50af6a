"""`/docs` loads Swagger UI from the service itself, never from a third party."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

URL_ATTRIBUTE = re.compile(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""")


@pytest.fixture
def engine(sqlite_engine: AsyncEngine) -> AsyncEngine:
    return sqlite_engine


async def test_docs_reference_only_local_urls_and_every_asset_is_served(
    http: httpx.AsyncClient,
) -> None:
    page = await http.get("/docs")
    assert page.status_code == 200
    urls = URL_ATTRIBUTE.findall(page.text)
    assert "/openapi.json" in urls
    assert {"/docs/static/swagger-ui-bundle.js", "/docs/static/swagger-ui.css"} <= set(urls)
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "http://" not in page.text and "https://" not in page.text
    assert '"validatorUrl": null' in page.text
    for url in urls:
        asset = await http.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 0


async def test_redoc_is_not_offered_since_it_would_load_from_a_cdn(
    http: httpx.AsyncClient,
) -> None:
    assert (await http.get("/redoc")).status_code in (401, 404)
