"""How tests call the service under test: in-process client, headers, keys."""

from __future__ import annotations

import uuid

import httpx
from fastapi import FastAPI


def client_for(app: FastAPI) -> httpx.AsyncClient:
    """An HTTP client that talks to ``app`` in process, seeing its 500s as responses."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://service.test")


def bearer(token: str, *, key: str | None = None) -> dict[str, str]:
    """Headers carrying a bearer token and, for commands, an idempotency key."""
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return headers


def new_key() -> str:
    """A fresh idempotency key."""
    return str(uuid.uuid4())
