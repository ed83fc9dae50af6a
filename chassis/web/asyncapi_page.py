"""The AsyncAPI document as a page: rendered on the server into plain HTML, nothing fetched.

:func:`asyncapi_router` serves ``GET /asyncapi`` (the page) and
``GET /asyncapi.json`` (the document) from a factory, called once on first
use (generating the document takes about a second). The page lists the
servers, each channel with its messages and Kafka bindings, the operations,
each message (headers, record key, correlation id, payload) and every schema
with its properties; references are links within the page.
"""

from __future__ import annotations

import asyncio
import html
import json
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter
from starlette.responses import HTMLResponse, JSONResponse

from chassis.web.pages import WEB_STATIC, page

DocumentFactory = Callable[[], dict[str, Any]]
e = html.escape


def _anchor(ref: str) -> str:
    return "x-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in ref.lstrip("#/"))


def _ref_link(ref: str) -> str:
    return f'<a href="#{_anchor(ref)}"><code>{e(ref.rsplit("/", 1)[-1])}</code></a>'


def _text(value: Any) -> str:
    return f'<div class="prose">{e(str(value))}</div>' if value else ""


def _type_of(schema: Mapping[str, Any]) -> str:
    if "$ref" in schema:
        return _ref_link(schema["$ref"])
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in schema:
            parts = " | ".join(_type_of(s) for s in schema[combinator])
            return f"{combinator}({parts})"
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {_type_of(schema.get('items', {}))}"
    details = [f"<code>{e(str(kind))}</code>"]
    for key in ("format", "pattern", "const"):
        if key in schema:
            details.append(f"{key} <code>{e(str(schema[key]))}</code>")
    if "enum" in schema:
        details.append("one of " + ", ".join(f"<code>{e(str(v))}</code>" for v in schema["enum"]))
    return " ".join(details)


def _schema(name: str, schema: Mapping[str, Any], prefix: str) -> str:
    parts = [f'<section id="{_anchor(prefix + name)}"><h3>{e(name)}</h3>']
    parts.append(_text(schema.get("description")))
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    if properties:
        rows = "".join(
            f"<tr><th scope='row'><code>{e(prop)}</code></th><td>{_type_of(spec)}</td>"
            f"<td>{'yes' if prop in required else 'no'}</td>"
            f"<td>{e(str(spec.get('description', '')))}</td></tr>"
            for prop, spec in properties.items()
        )
        parts.append(
            f"<table><caption>Properties of {e(name)}</caption><thead><tr><th scope='col'>"
            "Property</th><th scope='col'>Type</th><th scope='col'>Required</th>"
            f"<th scope='col'>Description</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    elif not properties:
        parts.append(f"<p>Type: {_type_of(schema)}</p>")
    return "".join(parts) + "</section>"


def _message(key: str, message: Mapping[str, Any]) -> str:
    parts = [
        f'<section id="{_anchor("#/components/messages/" + key)}">'
        f"<h3>{e(message.get('title') or key)}</h3>"
    ]
    parts.append(_text(message.get("summary")))
    parts.append(_text(message.get("description")))
    if "payload" in message:
        parts.append(f"<p>Payload: {_type_of(message['payload'])}</p>")
    if "correlationId" in message:
        cid = message["correlationId"]
        parts.append(
            f"<p>Correlation id: <code>{e(cid.get('location', ''))}</code> "
            f"{e(cid.get('description', ''))}</p>"
        )
    key_schema = (message.get("bindings") or {}).get("kafka", {}).get("key")
    if key_schema:
        parts.append(
            f"<p>Record key: {_type_of(key_schema)} {e(key_schema.get('description', ''))}</p>"
        )
    if "headers" in message:
        parts.append(_schema("Headers", message["headers"], f"#/messages/{key}/"))
    return "".join(parts) + "</section>"


def render_asyncapi(document: Mapping[str, Any]) -> str:
    """The whole page for ``document`` (an AsyncAPI 3 document as JSON data)."""
    info = document.get("info", {})
    title = f"{info.get('title', 'AsyncAPI')} {info.get('version', '')}".strip()
    servers = "".join(
        f"<li><code>{e(name)}</code>: <code>{e(s.get('protocol', ''))}://{e(s.get('host', ''))}"
        f"</code> {e(s.get('description', ''))}</li>"
        for name, s in (document.get("servers") or {}).items()
    )
    channels = "".join(
        f'<section id="{_anchor("#/channels/" + name)}">'
        f"<h3><code>{e(c.get('address', name))}</code></h3>"
        f"{_text(c.get('description'))}<p>Messages: "
        + ", ".join(_ref_link(m["$ref"]) for m in (c.get("messages") or {}).values() if "$ref" in m)
        + f"</p><pre>{e(json.dumps(c.get('bindings', {}), indent=2))}</pre></section>"
        for name, c in (document.get("channels") or {}).items()
    )
    operations = "".join(
        f"<tr><th scope='row'><code>{e(name)}</code></th><td>{e(op.get('action', ''))}</td>"
        f"<td>{_ref_link(op['channel']['$ref']) if '$ref' in op.get('channel', {}) else ''}</td>"
        f"<td>{e(op.get('summary', ''))}</td></tr>"
        for name, op in (document.get("operations") or {}).items()
    )
    components = document.get("components") or {}
    messages = "".join(_message(k, m) for k, m in (components.get("messages") or {}).items())
    schemas = "".join(
        _schema(name, schema, "#/components/schemas/")
        for name, schema in sorted((components.get("schemas") or {}).items())
    )
    body = (
        f'<header class="bar"><h1>{e(title)}</h1><a href="/asyncapi.json">JSON</a></header><main>'
        f"<p>AsyncAPI {e(str(document.get('asyncapi', '')))}</p>{_text(info.get('description'))}"
        f"<h2>Servers</h2><ul>{servers}</ul>"
        f"<h2>Channels</h2>{channels}"
        "<h2>Operations</h2><table><caption>Who publishes and subscribes</caption><thead><tr>"
        "<th scope='col'>Operation</th><th scope='col'>Action</th><th scope='col'>Channel</th>"
        f"<th scope='col'>Summary</th></tr></thead><tbody>{operations}</tbody></table>"
        f"<h2>Messages</h2>{messages}<h2>Schemas</h2>{schemas}</main>"
    )
    return page(
        language="en",
        title=title,
        body=body,
        stylesheets=[f"{WEB_STATIC}/web.css", f"{WEB_STATIC}/docs.css"],
    )


def asyncapi_router(factory: DocumentFactory) -> APIRouter:
    """``GET /asyncapi`` and ``GET /asyncapi.json``; ``factory`` runs once, in a thread."""
    router = APIRouter(include_in_schema=False)
    cache: dict[str, Any] = {}
    lock = asyncio.Lock()

    async def document() -> dict[str, Any]:
        async with lock:
            if "document" not in cache:
                cache["document"] = await asyncio.to_thread(factory)
        return cache["document"]

    @router.get("/asyncapi")
    async def asyncapi_page() -> HTMLResponse:
        return HTMLResponse(render_asyncapi(await document()))

    @router.get("/asyncapi.json")
    async def asyncapi_json() -> JSONResponse:
        return JSONResponse(await document())

    return router
