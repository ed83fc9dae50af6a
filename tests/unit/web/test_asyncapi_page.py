"""The AsyncAPI page: the real document rendered on the server, every reference a working link."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

from chassis.web.asyncapi_page import asyncapi_router, render_asyncapi
from contracts.asyncapi import asyncapi_document
from contracts.topics import EVENT_TOPICS


def test_every_topic_message_and_schema_is_on_the_page_and_every_link_lands() -> None:
    document = asyncapi_document()
    page = render_asyncapi(document)
    for topic in EVENT_TOPICS.values():
        assert f"<code>{topic}</code>" in page
    for schema in document["components"]["schemas"]:
        assert f"<h3>{schema}</h3>" in page
    anchors = set(re.findall(r'id="([^"]+)"', page))
    links = set(re.findall(r'href="#([^"]+)"', page))
    assert links and links <= anchors
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


async def test_the_page_and_the_json_are_served_from_one_generation() -> None:
    calls = []

    def factory() -> dict:
        calls.append(1)
        return {"asyncapi": "3.0.0", "info": {"title": "Bus", "version": "1"}}

    app = FastAPI()
    app.include_router(asyncapi_router(factory))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://docs") as client:
        page = await client.get("/asyncapi")
        data = await client.get("/asyncapi.json")
    assert page.status_code == 200 and "<h1>Bus 1</h1>" in page.text
    assert data.json()["info"]["title"] == "Bus"
    assert calls == [1]
