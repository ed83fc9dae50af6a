"""Event schemas by wire name and version, and the upcasters between versions.

A stored or published event is never rewritten. Readers call
:meth:`EventRegistry.decode`, which upcasts an old payload step by step to the
latest version of its type and validates it with that version's model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

JsonObject = dict[str, Any]
Upcaster = Callable[[JsonObject], JsonObject]


class EventSchema(BaseModel):
    """Base class of every event payload model.

    Subclasses set ``event_type`` (stable wire name) and ``schema_version``.
    The record key on the bus is a property of the *stream*, fixed by the event
    that opens it (:meth:`partition_key`, :func:`stream_key`) and used for every
    later event of that stream, whatever their payloads carry.
    """

    # Tolerant reader: a field added (optionally) in a later release of the same
    # schema version is ignored by older consumers instead of dead-lettering.
    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    schema_version: ClassVar[int]

    def partition_key(self, stream_id: str) -> str:
        """The record key of a stream this event opens (see :func:`stream_key`).

        Only the opening event decides; later events of the stream get the
        same key from the store, never from their own payload.
        """
        return _key(getattr(self, "client_id", None), stream_id)


def stream_key(stream_id: str, opening_payload: JsonObject) -> str:
    """The record key of every event of a stream, from the stored payload that opened it.

    A stream opened by an event about one client (a client, a service plan, a
    Second Career application, an SEB participation) is that client's own
    stream and is keyed by the client's id, so a client's own streams share a
    partition. Any other stream (a JCP project, a business plan, an R&I
    report) is keyed by its own stream id, even when later events name clients.
    """
    return _key(opening_payload.get("client_id"), stream_id)


def _key(client_id: object, stream_id: str) -> str:
    return str(client_id) if client_id is not None else stream_id


class UnknownEventType(LookupError):
    """No schema is registered under this wire name."""


class UnknownSchemaVersion(LookupError):
    """The version is newer than this reader knows, or no upcaster leads from it."""


S = TypeVar("S", bound=type[EventSchema])


class EventRegistry:
    """Maps (event_type, schema_version) to payload models, with upcaster chains."""

    def __init__(self) -> None:
        self._models: dict[tuple[str, int], type[EventSchema]] = {}
        self._latest: dict[str, int] = {}
        self._upcasters: dict[tuple[str, int], Upcaster] = {}

    def register(self, model: S) -> S:
        """Register one payload model (usable as a class decorator)."""
        key = (model.event_type, model.schema_version)
        if key in self._models and self._models[key] is not model:
            raise ValueError(f"{key} is already registered to {self._models[key].__name__}")
        self._models[key] = model
        self._latest[model.event_type] = max(
            self._latest.get(model.event_type, 0), model.schema_version
        )
        return model

    def upcaster(self, event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        """Register the function turning ``from_version`` payloads into the next version."""

        def decorate(function: Upcaster) -> Upcaster:
            self._upcasters[(event_type, from_version)] = function
            return function

        return decorate

    def has_upcaster(self, event_type: str, from_version: int) -> bool:
        """Whether an upcaster turns ``from_version`` payloads into the next version."""
        return (event_type, from_version) in self._upcasters

    def latest_version(self, event_type: str) -> int:
        """The newest schema version known for an event type."""
        try:
            return self._latest[event_type]
        except KeyError:
            raise UnknownEventType(event_type) from None

    def model(self, event_type: str, schema_version: int) -> type[EventSchema]:
        """The model of exactly one version."""
        try:
            return self._models[(event_type, schema_version)]
        except KeyError:
            self.latest_version(event_type)  # raises UnknownEventType first
            raise UnknownSchemaVersion(f"{event_type} v{schema_version}") from None

    def upcast(self, event_type: str, schema_version: int, payload: JsonObject) -> JsonObject:
        """Bring a payload to the latest version of its type, one step at a time."""
        latest = self.latest_version(event_type)
        if schema_version > latest:
            raise UnknownSchemaVersion(
                f"{event_type} v{schema_version} is newer than the latest known v{latest}"
            )
        if schema_version < 1:
            raise UnknownSchemaVersion(f"{event_type} v{schema_version} is not a valid version")
        for version in range(schema_version, latest):
            step = self._upcasters.get((event_type, version))
            if step is None:
                raise UnknownSchemaVersion(f"no upcaster from {event_type} v{version}")
            payload = step(dict(payload))
        return payload

    def decode(self, event_type: str, schema_version: int, payload: JsonObject) -> EventSchema:
        """Upcast and validate a payload; raises pydantic's ValidationError if invalid."""
        latest_payload = self.upcast(event_type, schema_version, payload)
        return self.model(event_type, self.latest_version(event_type)).model_validate(
            latest_payload
        )

    def event_types(self) -> list[str]:
        """All registered wire names, sorted."""
        return sorted(self._latest)

    def schemas(self) -> Iterable[type[EventSchema]]:
        """Every registered model, every version, in a stable order."""
        for key in sorted(self._models):
            yield self._models[key]


DEFAULT_REGISTRY = EventRegistry()
"""The registry of every published event; the context modules register into it."""
