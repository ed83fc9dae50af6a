"""A fingerprint of a command request, to tell a retry from a reused key.

Method, path, query and body all count, so the same key sent to another
endpoint is a different request. JSON bodies are canonicalised (sorted keys,
no insignificant whitespace): a client re-serialising the same document on
retry is still sending the same request.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import parse_qsl


def request_fingerprint(
    *, method: str, path: str, query: str, content_type: str | None, body: bytes
) -> str:
    """A SHA-256 hex digest identifying the request's meaning."""
    canonical = [
        method.upper(),
        path,
        sorted(parse_qsl(query, keep_blank_values=True)),
        hashlib.sha256(canonical_body(content_type, body)).hexdigest(),
    ]
    return hashlib.sha256(json.dumps(canonical).encode("utf-8")).hexdigest()


def canonical_body(content_type: str | None, body: bytes) -> bytes:
    """JSON bodies re-serialised canonically; any other body as it came."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if body and (media_type == "application/json" or media_type.endswith("+json")):
        try:
            document = json.loads(body)
        except (ValueError, RecursionError):
            return body
        try:
            return json.dumps(
                document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
            ).encode("utf-8")
        except RecursionError:
            return body
    return body
