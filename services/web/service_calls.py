"""Calling the services like any client: the user's bearer token, an idempotency key per command.

:class:`ServiceCalls` wraps one ``httpx.AsyncClient``. Every answer comes back
as an :class:`Answer`; a problem+json answer carries its ``errors`` as
``{field: message}`` with the request-body prefix removed
(``personal_details.given_name``), so a form shows each message next to the
field whose ``name`` is that path.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx

from services.web.settings import CaseworkerWebSettings

IN_FLIGHT_RETRIES = 25
IN_FLIGHT_PAUSE_S = 0.2


@dataclass(frozen=True)
class Answer:
    """A service's answer: status, JSON body, and the problem's field messages."""

    status: int
    body: Any
    retry_after: str | None = None
    field_errors: dict[str, tuple[str, str]] = field(default_factory=dict)
    """``{field path: (error type, the service's message)}``."""

    @property
    def ok(self) -> bool:
        """A 2xx answer."""
        return 200 <= self.status < 300

    @property
    def problem_type(self) -> str:
        """The problem's ``type`` URI, empty on success."""
        return str(self.body.get("type", "")) if isinstance(self.body, dict) else ""

    @property
    def problem(self) -> str:
        """The problem's detail (or title) for the form's top, empty on success."""
        if self.ok or not isinstance(self.body, dict):
            return ""
        return str(self.body.get("detail") or self.body.get("title") or self.status)


def field_errors(body: Any) -> dict[str, tuple[str, str]]:
    """``{field path: (type, message)}`` from a validation problem's ``errors``."""
    found: dict[str, tuple[str, str]] = {}
    if isinstance(body, dict):
        for item in body.get("errors") or []:
            path = str(item.get("field", ""))
            for prefix in ("body.", "query."):
                path = path.removeprefix(prefix)
            found.setdefault(path, (str(item.get("type", "")), str(item.get("message", ""))))
    return found


class ServiceCalls:
    """HTTP calls to intake, caseload, programs with the signed-in user's token."""

    def __init__(self, settings: CaseworkerWebSettings, client: httpx.AsyncClient) -> None:
        self._bases = {
            "intake": settings.intake_url.rstrip("/"),
            "caseload": settings.caseload_url.rstrip("/"),
            "programs": settings.programs_url.rstrip("/"),
        }
        self._client = client

    async def get(
        self, service: str, path: str, token: str, params: dict[str, Any] | None = None
    ) -> Answer:
        """A query."""
        clean = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        response = await self._client.get(
            self._bases[service] + path, params=clean, headers=_auth(token)
        )
        return _answer(response)

    async def command(
        self, service: str, path: str, token: str, key: str, body: dict[str, Any]
    ) -> Answer:
        """A command under ``key``: sent twice, it is performed once.

        While the same key's first request still runs (a double-click), the
        service answers 409 ``request-in-flight``; this waits for the first to
        finish and answers with its stored result, so both clicks see it.
        """
        headers = {**_auth(token), "Idempotency-Key": key}
        url = self._bases[service] + path
        for _ in range(IN_FLIGHT_RETRIES):
            answer = _answer(await self._client.post(url, json=body, headers=headers))
            if not _in_flight(answer):
                return answer
            await asyncio.sleep(IN_FLIGHT_PAUSE_S)
        return answer


def _in_flight(answer: Answer) -> bool:
    return (
        answer.status == 409
        and isinstance(answer.body, dict)
        and answer.body.get("type") == "/problems/request-in-flight"
    )


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _answer(response: httpx.Response) -> Answer:
    try:
        body = response.json()
    except ValueError:
        body = None
    return Answer(
        status=response.status_code,
        body=body,
        retry_after=response.headers.get("retry-after"),
        field_errors=field_errors(body) if response.status_code >= 400 else {},
    )
