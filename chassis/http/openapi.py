"""The OpenAPI document of a service app: bearer auth, problem responses, idempotency.

FastAPI already lists the ``bearerAuth`` scheme on secured operations and the
``Idempotency-Key`` header on commands. This adds the ``Problem`` schema and
the error responses every operation can give, all as ``application/problem+json``.
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
    "422": ("UnprocessableContent", "Invalid request, or Idempotency-Key reused."),
}
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
