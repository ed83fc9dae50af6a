"""Small signed values for cookies: JSON, HMAC-SHA256, an expiry; tampering is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any


class BadSignature(ValueError):
    """The value was altered, signed with another key, or has expired."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(value: dict[str, Any], secret: str, *, ttl_s: int, now: float | None = None) -> str:
    """``value`` with an expiry, encoded and signed."""
    body = _b64(json.dumps({"v": value, "exp": (now or time.time()) + ttl_s}).encode())
    mac = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def unsign(token: str, secret: str, *, now: float | None = None) -> dict[str, Any]:
    """The value signed by :func:`sign`; :class:`BadSignature` if altered or expired."""
    body, _, mac = token.partition(".")
    expected = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(_unb64(mac), expected):
            raise BadSignature("signature does not match")
        content = json.loads(_unb64(body))
    except (ValueError, TypeError) as error:
        raise BadSignature("malformed signed value") from error
    if content["exp"] < (now or time.time()):
        raise BadSignature("expired")
    return content["v"]
