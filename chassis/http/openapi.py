"""The OpenAPI document of a service app: bearer auth, problem responses, idempotency.

FastAPI already lists the ``bearerAuth`` scheme on secured operations and the
``Idempotency-Key`` header on commands. This adds the ``Problem`` schema and
the error responses every operation can give, all as ``application/problem+json``:
401/403 on secured operations; 400/409/422 on commands; 413 (body too large)
on operations with a body; 431 (header too large) everywhere; 404 where a path
parameter or a ``site_id`` filter names something that may not exist or be
visible. It states the ``Idempotency-Key`` format, and closes response objects
(``additionalProperties: false``): responses carry exactly their declared
fields. Request bodies declare their own closedness (``extra="forbid"``); maps
with constrained keys (``dict[Slug, int]``) are closed to other keys.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from chassis.http.idempotency_route import COMMAND_METHODS
from chassis.http.problems import PROBLEM_MEDIA_TYPE

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details. `type` is a relative URI under /problems/.",
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "format": "uri-reference"},
        "correlation_id": {"type": "string", "format": "uuid"},
        "errors": {
            "type": "array",
            "description": "Validation failures: one entry per field.",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "examples": ["body.site_id"]},
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
}

PROBLEM_RESPONSES = {
    "400": ("BadRequest", "Idempotency-Key header missing or malformed."),
    "401": ("Unauthenticated", "Bearer token missing, invalid or expired."),
    "403": ("Forbidden", "The caller lacks the role, or the site, this needs."),
    "409": ("Conflict", "Changed since read, or the same request is still in flight."),
    "404": ("NotFound", "No such resource, or one the caller may not see."),
    "413": ("ContentTooLarge", "The request body is larger than the service accepts."),
    "422": ("UnprocessableContent", "Invalid request, or Idempotency-Key reused."),
    "431": ("HeadersTooLarge", "A request header is longer than the service accepts."),
}

IDEMPOTENCY_KEY_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": '^(?:[!-~]|[!#-~][ -~]{0,253}[!-~]|"[ -~]{0,253}[!#-~]|"[ -~]{1,255}")$',
    "description": "A key of 1 to 255 printable ASCII characters, bare or as a quoted "
    'string (`"..."`, the structured-field form). A UUID is ideal.',
}
"""Exactly the Idempotency-Key values :func:`chassis.http.idempotency.parse_idempotency_key`
accepts (surrounding whitespace is the server's to strip)."""

_NOT_FOUND_FILTERS = frozenset({"site_id"})
_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "options", "head", "trace"})


def service_openapi(app: FastAPI) -> dict[str, Any]:
    """Build (once) and return the app's OpenAPI document."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components["responses"] = {
        name: {
            "description": description,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for name, description in PROBLEM_RESPONSES.values()
    }
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in _HTTP_METHODS:
                _add_problem_responses(method, operation)
                _describe_idempotency_key(operation)
    _close_response_objects(schema)
    _close_keyed_maps(schema)
    _drop_unused_validation_schemas(schema)
    app.openapi_schema = schema
    return schema


def _add_problem_responses(method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    statuses = ["422"] if "422" in responses else []
    if operation.get("security"):
        statuses += ["401", "403"]
    if method.upper() in COMMAND_METHODS and operation.get("security"):
        statuses += ["400", "409", "422"]
    if "requestBody" in operation:
        statuses += ["413", "422"]
    names = {parameter.get("name") for parameter in operation.get("parameters", [])}
    in_path = any(p.get("in") == "path" for p in operation.get("parameters", []))
    if operation.get("security") and (in_path or names & _NOT_FOUND_FILTERS):
        statuses.append("404")
    statuses.append("431")
    for status in statuses:
        name = PROBLEM_RESPONSES[status][0]
        existing = responses.get(status)
        if existing is None or "HTTPValidationError" in json.dumps(existing):
            responses[status] = {"$ref": f"#/components/responses/{name}"}


def _drop_unused_validation_schemas(schema: dict[str, Any]) -> None:
    schemas = schema["components"]["schemas"]
    if "#/components/schemas/HTTPValidationError" not in json.dumps(schema):
        schemas.pop("HTTPValidationError", None)
        if "#/components/schemas/ValidationError" not in json.dumps(schema):
            schemas.pop("ValidationError", None)


def _describe_idempotency_key(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "header" and parameter.get("name") == "Idempotency-Key":
            parameter["schema"] = {**IDEMPOTENCY_KEY_SCHEMA, "title": "Idempotency-Key"}


def _close_response_objects(schema: dict[str, Any]) -> None:
    """``additionalProperties: false`` on object schemas only responses use."""
    schemas = schema["components"]["schemas"]
    request_refs = _refs_within(
        [
            operation.get("requestBody", {})
            for path_item in schema.get("paths", {}).values()
            for method, operation in path_item.items()
            if method in _HTTP_METHODS
        ],
        schemas,
    )
    response_refs = _refs_within(
        [
            operation.get("responses", {})
            for path_item in schema.get("paths", {}).values()
            for method, operation in path_item.items()
            if method in _HTTP_METHODS
        ],
        schemas,
    )
    for name in response_refs - request_refs - {"Problem"}:
        component = schemas.get(name, {})
        if component.get("type") == "object" and "additionalProperties" not in component:
            component["additionalProperties"] = False


def _close_keyed_maps(node: Any) -> None:
    """Maps whose keys must match a pattern admit no other key (pydantic refuses them).

    Pydantic writes ``dict[Slug, int]`` as ``patternProperties`` and leaves other
    keys open; the validator refuses those keys, so the document closes the map
    (``additionalProperties: false``) and names the key pattern in ``propertyNames``.
    """
    if isinstance(node, list):
        for item in node:
            _close_keyed_maps(item)
        return
    if not isinstance(node, dict):
        return
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict) and len(patterns) == 1 and "additionalProperties" not in node:
        node["additionalProperties"] = False
        node["propertyNames"] = {**node.get("propertyNames", {}), "pattern": next(iter(patterns))}
    for value in node.values():
        _close_keyed_maps(value)


def _refs_within(roots: list[Any], schemas: dict[str, Any]) -> set[str]:
    """Names of component schemas reachable from ``roots`` through ``$ref``."""
    found: set[str] = set()
    pending = list(roots)
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in found:
                    found.add(name)
                    pending.append(schemas.get(name, {}))
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found
