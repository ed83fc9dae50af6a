"""The OpenAPI document states every status the chassis can answer, and the header formats."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, StringConstraints

from chassis.http.openapi import IDEMPOTENCY_KEY_SCHEMA, service_openapi


def operation(service: FastAPI, method: str, path: str) -> dict:  # type: ignore[type-arg]
    return service.openapi()["paths"][path][method]


def test_commands_document_the_idempotency_key_format(service: FastAPI) -> None:
    register = operation(service, "post", "/clients")
    header = next(p for p in register["parameters"] if p["name"] == "Idempotency-Key")
    assert header["required"] is True
    pattern = re.compile(header["schema"]["pattern"])
    for accepted in ("9b7c2a52-2c1e-4a43-9d0c-0c6f3b7f1a20", '"quoted-key"', "a b", "x" * 255):
        assert pattern.match(accepted), accepted
    for refused in ("", '""', "x" * 256, "caf\u00e9"):
        assert not pattern.match(refused), refused
    assert header["schema"]["pattern"] == IDEMPOTENCY_KEY_SCHEMA["pattern"]


def test_every_status_the_chassis_can_answer_is_documented(service: FastAPI) -> None:
    register = operation(service, "post", "/clients")["responses"]
    assert {"201", "400", "401", "403", "409", "413", "422", "431"} <= set(register)
    read = operation(service, "get", "/clients/{client_id}")["responses"]
    assert {"200", "401", "403", "404", "431"} <= set(read)
    assert "413" not in read


def test_response_objects_are_closed_and_request_bodies_keep_their_own_rule(
    service: FastAPI,
) -> None:
    schemas = service.openapi()["components"]["schemas"]
    assert schemas["RegisterClient"].get("additionalProperties") is None
    assert schemas["Problem"]["additionalProperties"] is True


def test_a_service_response_object_is_closed() -> None:
    from chassis.settings import KafkaSettings
    from services.intake.bootstrap import create_app
    from services.intake.settings import IntakeSettings

    intake = create_app(
        IntakeSettings(database_url="sqlite+aiosqlite:///:memory:"),
        KafkaSettings(bootstrap_servers=None),
    )
    schemas = intake.openapi()["components"]["schemas"]
    assert schemas["ClientOut"]["additionalProperties"] is False
    assert schemas["RegisterClientRequest"]["additionalProperties"] is False  # extra="forbid"


class Costs(BaseModel):
    """A request body with a map whose keys pydantic constrains."""

    model_config = ConfigDict(extra="forbid")
    cents: dict[Annotated[str, StringConstraints(pattern=r"^[a-z]+$", max_length=9)], int]


def test_maps_with_constrained_keys_admit_no_other_key() -> None:
    app = FastAPI()

    @app.post("/costs")
    async def costs(body: Costs) -> None: ...

    cents = service_openapi(app)["components"]["schemas"]["Costs"]["properties"]["cents"]
    assert cents["patternProperties"] == {"^[a-z]+$": {"type": "integer"}}
    assert cents["additionalProperties"] is False  # pydantic refuses other keys
    assert cents["propertyNames"] == {"maxLength": 9, "pattern": "^[a-z]+$"}
