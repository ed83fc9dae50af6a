"""The AsyncAPI 3.0.0 document of the event bus, generated from the code with FastStream.

Each events topic gets one publisher whose message is the envelope, with
``payload`` one of the payload models registered for that context, every
version included: old versions stay in the topics' history and consumers
upcast them. FastStream writes channels, operations and schemas; the message
record key, headers and correlation id, which FastStream cannot declare, are
added afterwards. Services pass their own brokers or routers to document
their subscribers beside the contracts. Nothing here runs at import time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import metadata
from typing import Annotated, Any, Literal, Union
from urllib.parse import unquote

import yaml
from faststream.kafka import KafkaBroker, KafkaRouter
from faststream.specification import AsyncAPI
from pydantic import BaseModel, Discriminator, Field, RootModel, Tag, create_model

from contracts.compatibility import published_registry
from contracts.envelope import EventEnvelope, EventMetadata
from contracts.registry import EventRegistry, EventSchema
from contracts.topics import EVENT_TOPICS, dead_letter_topic

ASYNCAPI_VERSION = "3.0.0"
DEFAULT_SERVER = "localhost:9092"

TITLE = "EOCMS event bus"
DESCRIPTION = """\
Events published by the EOCMS services (intake, caseload, programs): past-tense
facts, one topic per publishing context. Every record carries one JSON envelope
(event id, type, schema version, stream, timestamps, causal metadata) around a
payload whose schema is fixed by `event_type` and `schema_version`.

- Record key: a property of the stream, fixed by the event that opens it and
  kept for every later event: the pseudonymous `client_id` for a client's own
  streams (client, service plan, Second Career application, SEB
  participation), else the `stream_id` (JCP project, business plan, R&I
  report), so every event of one stream stays ordered within a topic.
- Evolution: within a schema version only optional fields are added. A breaking
  change is a new `schema_version`; consumers upcast older versions on read and
  must accept every version listed here.
- Delivery is at least once: consumers deduplicate on `event_id`.
- Poison events go to a dead-letter topic per consumer group,
  `<topic>.dlq.<group>`, with the reason in `x-dlq-*` headers; each is a channel
  below.
- No direct identifiers (names, birth dates, SIN, contact details) ever travel
  on the bus.
"""

RECORD_KEY = {
    "type": "string",
    "description": "The stream's key, fixed by the event that opened the stream: the "
    "client_id for a client's own streams, else the stream_id. Every event of one stream "
    "has the same key, so a stream stays ordered within the topic.",
    "examples": ["6f1c2a7e-1b8d-4c7e-9a51-2f0d8c1e4b3a"],
}
RECORD_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "Copied from the envelope as UTF-8 strings by the outbox relay, so consumers "
    "can route, deduplicate and skip without parsing the value. The envelope is authoritative.",
    "properties": {
        "event_id": {"type": "string", "format": "uuid", "description": "The event_id."},
        "event_type": {
            "type": "string",
            "description": "The event_type.",
            "examples": ["intake.ClientRegistered"],
        },
        "schema_version": {
            "type": "string",
            "pattern": "^[1-9][0-9]*$",
            "description": "The schema_version, in decimal.",
        },
        "stream_id": {"type": "string", "description": "The stream_id."},
        "stream_version": {
            "type": "string",
            "pattern": "^[1-9][0-9]*$",
            "description": "The stream_version, in decimal.",
        },
        "correlation_id": {
            "type": "string",
            "format": "uuid",
            "description": "The correlation_id.",
        },
        "causation_id": {
            "type": "string",
            "format": "uuid",
            "description": "The causation_id; absent when the event has none.",
        },
    },
    "required": [
        "event_id",
        "event_type",
        "schema_version",
        "stream_id",
        "stream_version",
        "correlation_id",
    ],
}


def asyncapi_document(
    *sources: KafkaBroker | KafkaRouter,
    registry: EventRegistry | None = None,
    server: str = DEFAULT_SERVER,
) -> dict[str, Any]:
    """The AsyncAPI 3.0.0 document, as JSON data, of the contracts plus ``sources``.

    ``sources`` are service brokers (documented as they are) or routers, which
    are included into the contracts' broker; pass routers built for the
    document, since FastStream moves an included router to its new parent.
    """
    registry = published_registry() if registry is None else registry
    consumers = consumer_groups(sources)
    broker = KafkaBroker(
        server, description="Kafka cluster (KAFKA_BOOTSTRAP_SERVERS), Apache Kafka 3.7+."
    )
    broker.include_router(events_router(registry))
    brokers: list[KafkaBroker] = [broker]
    for source in sources:
        if isinstance(source, KafkaRouter):
            broker.include_router(source)
        else:
            brokers.append(source)
    factory = AsyncAPI(
        *brokers,
        title=TITLE,
        version=_project_version(),
        description=DESCRIPTION,
        schema_version=ASYNCAPI_VERSION,
    )
    document: dict[str, Any] = factory.to_specification().to_jsonable()
    _describe_records(document, registry)
    _describe_consumed_records(document)
    _add_dead_letter_channels(document, consumers)
    return document


def consumer_groups(sources: Sequence[KafkaBroker | KafkaRouter]) -> list[tuple[str, str]]:
    """Every (events topic, consumer group) the subscribers of ``sources`` read, in order."""
    pairs: list[tuple[str, str]] = []
    for source in sources:
        for subscriber in source.subscribers:
            group = getattr(subscriber, "group_id", None)
            for topic in getattr(subscriber, "topics", ()):
                name = getattr(topic, "name", topic)
                if group and name in EVENT_TOPICS.values() and (name, group) not in pairs:
                    pairs.append((name, group))
    return pairs


def _project_version() -> str:
    try:
        return metadata.version("eocms")
    except metadata.PackageNotFoundError:  # running from a source tree not installed
        return "0.0.0"


def events_router(registry: EventRegistry) -> KafkaRouter:
    """A router with one publisher per events topic, each declaring its envelope union."""
    router = KafkaRouter()
    definitions: dict[str, tuple[str, Any]] = {}
    for context, topic in EVENT_TOPICS.items():
        message = topic_message(context, registry)
        _refuse_clashing_definitions(message, topic, definitions)
        router.publisher(
            topic,
            schema=message,
            title=topic,
            description=f"Events of the {context} context, published through its "
            "transactional outbox in commit order per stream.",
        )
    return router


def topic_message(context: str, registry: EventRegistry) -> type[BaseModel]:
    """The model of one topic's records: the envelope with any payload of that context."""
    models = [model for model in registry.schemas() if model.event_type.startswith(f"{context}.")]
    if not models:
        return EventEnvelope
    envelopes = tuple(
        Annotated[event_envelope(model, registry), Tag(_tag_of(model))] for model in models
    )
    union = Annotated[Union[envelopes], Discriminator(_tag_of)]  # type: ignore[valid-type]  # noqa: UP007
    name = f"{context.title()}Event"
    doc = f"One record of the {context} events topic: the envelope of one of its event types."
    return type(name, (RootModel[union],), {"__doc__": doc, "__module__": __name__})


def event_envelope(model: type[EventSchema], registry: EventRegistry) -> type[EventEnvelope]:
    """The envelope of one (event_type, schema_version), with its payload model."""
    latest = registry.latest_version(model.event_type)
    context, _, name = model.event_type.partition(".")
    status = (
        "The latest version; producers publish it."
        if model.schema_version == latest
        else f"Superseded by v{latest}: found in the topic's history; consumers upcast it."
    )
    fields: dict[str, Any] = {
        "event_type": (
            Literal[model.event_type],
            Field(description="Stable wire name of the event type.", examples=[model.event_type]),
        ),
        "schema_version": (
            Literal[model.schema_version],
            Field(description=f"Payload schema version. {status}"),
        ),
        "payload": (model, Field(description=f"The {model.event_type} payload.")),
    }
    for field_name, field in EventEnvelope.model_fields.items():
        if field.description is None and field_name in EventMetadata.model_fields:
            described = EventMetadata.model_fields[field_name].description
            fields[field_name] = (field.annotation, Field(field.default, description=described))
    return create_model(  # type: ignore[no-any-return,call-overload]
        f"{context.title()}{name}V{model.schema_version}",
        __base__=EventEnvelope,
        __doc__=f"{model.event_type} v{model.schema_version}: {model.__doc__ or ''}".strip(),
        __module__=__name__,
        **fields,
    )


def _tag_of(value: Any) -> str:
    """The union member a record belongs to: its event type and schema version."""
    if isinstance(value, dict):
        return f"{value.get('event_type')} v{value.get('schema_version')}"
    return f"{value.event_type} v{value.schema_version}"


def _refuse_clashing_definitions(
    message: type[BaseModel], topic: str, seen: dict[str, tuple[str, Any]]
) -> None:
    """Two topics defining one schema name differently would overwrite each other."""
    for name, schema in message.model_json_schema().get("$defs", {}).items():
        other_topic, other = seen.setdefault(name, (topic, schema))
        if other != schema:
            raise ValueError(
                f"schema {name!r} differs between {other_topic} and {topic}: rename one of them"
            )


def _describe_records(document: dict[str, Any], registry: EventRegistry) -> None:
    """Add what FastStream cannot declare to each events topic's message and operation."""
    messages = document.get("components", {}).get("messages", {})
    for context, topic in EVENT_TOPICS.items():
        if topic in document.get("operations", {}):
            document["operations"][topic]["summary"] = f"The {context} service publishes."
        for reference in document["channels"].get(topic, {}).get("messages", {}).values():
            message = messages[unquote(reference["$ref"].rpartition("/")[2])]
            message.update(
                name=f"{context}-event",
                title=f"{context} event",
                summary=f"An event of the {context} context in its envelope.",
                description=_event_types_text(context, registry),
                contentType="application/json",
                correlationId={
                    "location": "$message.payload#/correlation_id",
                    "description": "Shared by every event of one request or flow.",
                },
                headers=RECORD_HEADERS,
                bindings={"kafka": {"key": RECORD_KEY, "bindingVersion": "0.4.0"}},
            )


def _topic_schema(topic: str, document: dict[str, Any]) -> dict[str, Any] | None:
    """The payload reference of an events topic's published message, if documented."""
    for reference in document["channels"].get(topic, {}).get("messages", {}).values():
        name = unquote(reference["$ref"].rpartition("/")[2])
        return document["components"]["messages"][name]  # type: ignore[no-any-return]
    return None


def _describe_consumed_records(document: dict[str, Any]) -> None:
    """A subscriber of an events topic receives exactly what its publisher sends.

    FastStream documents a subscriber by its handler's signature; projections
    take raw records, so it would say ``null``. Each receive operation's message
    becomes the published message of its topic: the envelope union, headers and key.
    """
    messages = document["components"]["messages"]
    for operation in document.get("operations", {}).values():
        if operation.get("action") != "receive":
            continue
        channel = document["channels"][unquote(operation["channel"]["$ref"].rpartition("/")[2])]
        published = _topic_schema(channel.get("address", ""), document)
        if published is None:
            continue
        for reference in channel.get("messages", {}).values():
            name = unquote(reference["$ref"].rpartition("/")[2])
            received = {
                key: value for key, value in published.items() if key not in ("name", "title")
            }
            received["title"] = messages[name].get("title", name)
            received["summary"] = f"What the consumer receives: {published.get('summary', '')}"
            messages[name] = received
    schemas = document["components"].get("schemas", {})
    if "EmptyPayload" in schemas and '"#/components/schemas/EmptyPayload"' not in json.dumps(
        document
    ):
        del schemas["EmptyPayload"]


DEAD_LETTER_HEADERS = {
    "type": "object",
    "description": "The rejected record's own headers (see the events topics' messages), "
    "unchanged, plus the x-dlq-* headers below, as UTF-8 strings. `eocms dlq replay` removes "
    "the x-dlq-* headers and adds x-dlq-replayed when it republishes the record.",
    "properties": {
        **RECORD_HEADERS["properties"],
        "x-dlq-reason": {
            "type": "string",
            "description": "Why the record was rejected.",
            "examples": [
                "bad-json",
                "invalid-envelope",
                "unknown-type",
                "unknown-version",
                "invalid-payload",
            ],
        },
        "x-dlq-error": {
            "type": "string",
            "description": "The error message, cut to a bounded length.",
        },
        "x-dlq-source-topic": {"type": "string", "description": "Topic the record came from."},
        "x-dlq-source-partition": {
            "type": "string",
            "pattern": "^[0-9]+$",
            "description": "Its partition, in decimal.",
        },
        "x-dlq-source-offset": {
            "type": "string",
            "pattern": "^[0-9]+$",
            "description": "Its offset, in decimal.",
        },
        "x-dlq-group": {"type": "string", "description": "The consumer group that rejected it."},
    },
    "required": [
        "x-dlq-reason",
        "x-dlq-error",
        "x-dlq-source-topic",
        "x-dlq-source-partition",
        "x-dlq-source-offset",
        "x-dlq-group",
    ],
}
DEAD_LETTER_MESSAGE = "DeadLetter"


def _add_dead_letter_channels(document: dict[str, Any], consumers: list[tuple[str, str]]) -> None:
    """One channel per consumer group and topic: ``<topic>.dlq.<group>``, sent by that group."""
    if not consumers:
        return
    document["components"].setdefault("messages", {})[DEAD_LETTER_MESSAGE] = {
        "name": "dead-letter",
        "title": "dead letter",
        "summary": "A record a consumer group could not apply, with the reason in headers.",
        "description": "The value and key are the rejected record's, byte for byte: usually an "
        "event envelope, but possibly not JSON at all (reason `bad-json`).",
        "contentType": "application/octet-stream",
        "payload": {
            "description": "The rejected record's value, unchanged (any bytes).",
        },
        "headers": DEAD_LETTER_HEADERS,
        "bindings": {"kafka": {"key": RECORD_KEY, "bindingVersion": "0.4.0"}},
    }
    for topic, group in consumers:
        address = dead_letter_topic(topic, group)
        document["channels"][address] = {
            "address": address,
            "title": address,
            "description": f"Records of {topic} that consumer group {group} rejected.",
            "messages": {
                DEAD_LETTER_MESSAGE: {"$ref": f"#/components/messages/{DEAD_LETTER_MESSAGE}"}
            },
            "bindings": {"kafka": {"topic": address, "bindingVersion": "0.4.0"}},
        }
        document["operations"][f"{address}:send"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{address}"},
            "summary": f"Consumer group {group} dead-letters what it cannot apply.",
            "messages": [{"$ref": f"#/channels/{address}/messages/{DEAD_LETTER_MESSAGE}"}],
        }


def _event_types_text(context: str, registry: EventRegistry) -> str:
    lines = [
        f"- `{model.event_type}` v{model.schema_version}: {(model.__doc__ or '').splitlines()[0]}"
        for model in registry.schemas()
        if model.event_type.startswith(f"{context}.")
    ]
    if not lines:
        return "No event type is registered on this topic yet: the payload is any JSON object."
    return "`event_type` and `schema_version` select the payload schema:\n\n" + "\n".join(lines)


def render(document: dict[str, Any], *, yaml_format: bool = False) -> str:
    """The document as JSON (default) or YAML text."""
    if yaml_format:
        return str(yaml.dump(document, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class _BlockDumper(yaml.SafeDumper):
    """A safe YAML dumper writing multi-line strings as literal blocks."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_BlockDumper.add_representer(str, _represent_text)
