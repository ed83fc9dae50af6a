"""Compatibility of the published event schemas with their committed snapshot.

Within a schema version only optional fields may be added (README.md, "Events
and contracts"): an event stored or published under a version must stay
readable by every consumer of that version, old or new. So, for each
registered ``(event_type, schema_version)``, the JSON Schema computed from the
code is compared with ``contracts/snapshots/event-schemas.json``:

- additive: a new optional field, a new event type, a new version of a type
  (with an upcaster from the previous version);
- breaking: a version no longer registered, a field removed, a new required
  field, an optional field made required or the reverse, a type, format,
  constraint or default changed, ``additionalProperties`` changed, enum values
  removed, and enum values *added* (a consumer validating with the snapshot's
  schema rejects an event carrying the new value), a missing upcaster.

Descriptions, titles and examples are documentation: changing them is neither.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts.registry import DEFAULT_REGISTRY, EventRegistry
from contracts.topics import EVENT_TOPICS

JsonSchema = dict[str, Any]
SchemaSet = dict[str, dict[str, JsonSchema]]
"""JSON Schemas by event type, then by schema version (a string, as in JSON)."""

SNAPSHOT_PATH = Path(__file__).parent / "snapshots" / "event-schemas.json"
SNAPSHOT_COMMENT = (
    "Published event schemas, by event type and schema version. Written by "
    "`eocms contracts snapshot`, checked by `eocms contracts check` and the contract tests."
)

# Keywords that document a schema without constraining what it accepts.
ANNOTATIONS = frozenset(
    {"title", "description", "examples", "$comment", "deprecated", "readOnly", "writeOnly"}
)
# Keywords compared by dedicated rules below; any other keyword must stay equal.
STRUCTURE = frozenset(
    {"type", "format", "anyOf", "oneOf", "properties", "required", "items", "enum"}
    | {"additionalProperties", "$defs"}
)


def published_registry() -> EventRegistry:
    """``DEFAULT_REGISTRY`` once every context module present has registered into it."""
    for context in EVENT_TOPICS:
        module = f"contracts.{context}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:  # the module exists but one of its imports failed
                raise
    return DEFAULT_REGISTRY


def current_schemas(registry: EventRegistry) -> SchemaSet:
    """The JSON Schema of every registered (event_type, schema_version), as JSON data."""
    schemas: SchemaSet = {}
    for model in registry.schemas():
        schema = json.loads(json.dumps(model.model_json_schema()))
        schemas.setdefault(model.event_type, {})[str(model.schema_version)] = schema
    return schemas


def read_snapshot(path: Path = SNAPSHOT_PATH) -> SchemaSet:
    """The committed schemas; empty if no snapshot was ever written."""
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8"))["events"])


def write_snapshot(schemas: SchemaSet, path: Path = SNAPSHOT_PATH) -> None:
    """Write the schemas as the new snapshot, in a stable, diff-friendly layout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"comment": SNAPSHOT_COMMENT, "events": schemas}
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Change:
    """One difference between the snapshot and the code."""

    subject: str
    detail: str
    breaking: bool

    def __str__(self) -> str:
        return f"{self.subject}: {self.detail}"


@dataclass(frozen=True)
class CompatibilityReport:
    """Every change found, and whether the snapshot already equals the code."""

    changes: tuple[Change, ...]
    up_to_date: bool

    @property
    def breaking(self) -> list[Change]:
        """Changes that would break a consumer or a stored event."""
        return [change for change in self.changes if change.breaking]

    @property
    def additive(self) -> list[Change]:
        """Changes every consumer can live with."""
        return [change for change in self.changes if not change.breaking]


def check_compatibility(registry: EventRegistry, snapshot: SchemaSet) -> CompatibilityReport:
    """Compare a registry with a snapshot and check its upcaster chains."""
    current = current_schemas(registry)
    changes: list[Change] = []
    for event_type in sorted(snapshot.keys() | current.keys()):
        old, new = snapshot.get(event_type, {}), current.get(event_type, {})
        for version in sorted(old.keys() | new.keys(), key=int):
            subject = f"{event_type} v{version}"
            if version not in new:
                detail = "no longer registered; events stored under this version must stay readable"
                changes.append(Change(subject, detail, breaking=True))
            elif version not in old:
                detail = "new schema version" if old else "new event type"
                changes.append(Change(subject, detail, breaking=False))
            else:
                changes.extend(
                    Change(subject, detail, breaking)
                    for detail, breaking in diff_schemas(old[version], new[version])
                )
        changes.extend(_missing_upcasters(registry, event_type, new))
    return CompatibilityReport(changes=tuple(changes), up_to_date=snapshot == current)


def _missing_upcasters(
    registry: EventRegistry, event_type: str, versions: dict[str, JsonSchema]
) -> Iterator[Change]:
    numbers = sorted(int(version) for version in versions)
    for version in range(numbers[0], numbers[-1]) if numbers else ():
        if not registry.has_upcaster(event_type, version):
            detail = f"no upcaster to v{version + 1}: events stored as v{version} cannot be read"
            yield Change(f"{event_type} v{version}", detail, breaking=True)


def diff_schemas(old: JsonSchema, new: JsonSchema) -> list[tuple[str, bool]]:
    """Differences between two versions of one payload schema, as (detail, breaking)."""
    return list(_diff(resolve_refs(old), resolve_refs(new), path=""))


def resolve_refs(schema: JsonSchema) -> JsonSchema:
    """The schema with local ``$ref`` replaced by their target and ``$defs`` dropped."""
    resolved = _resolve(schema, schema, seen=())
    assert isinstance(resolved, dict)
    return resolved


def _resolve(node: Any, root: JsonSchema, seen: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_resolve(item, root, seen) for item in node]
    if not isinstance(node, dict):
        return node
    siblings = {k: _resolve(v, root, seen) for k, v in node.items() if k not in ("$ref", "$defs")}
    reference = node.get("$ref")
    if not isinstance(reference, str) or not reference.startswith("#/") or reference in seen:
        return {**siblings, "$ref": reference} if reference else siblings
    target: Any = root
    for part in reference[2:].split("/"):
        target = target[part.replace("~1", "/").replace("~0", "~")]
    return {**_resolve(target, root, (*seen, reference)), **siblings}


def _diff(old: Any, new: Any, path: str) -> Iterator[tuple[str, bool]]:
    where = f"field '{path}'" if path else "payload"
    if old == new:
        return
    if not isinstance(old, dict) or not isinstance(new, dict):
        yield f"{where} schema changed from {old!r} to {new!r}", True
        return
    if _shape(old) != _shape(new):
        yield f"{where} type changed from {_render(old)} to {_render(new)}", True
        return
    for keyword in ("anyOf", "oneOf"):  # same shapes: pair the alternatives by shape
        old_branches = sorted(old.get(keyword, ()), key=lambda branch: repr(_shape(branch)))
        new_branches = sorted(new.get(keyword, ()), key=lambda branch: repr(_shape(branch)))
        for old_branch, new_branch in zip(old_branches, new_branches, strict=True):
            yield from _diff(old_branch, new_branch, path)
    yield from _diff_enum(old.get("enum"), new.get("enum"), where)
    yield from _diff_properties(old, new, path)
    if "items" in old or "items" in new:
        yield from _diff(old.get("items", {}), new.get("items", {}), f"{path}[]")
    yield from _diff_additional(old, new, path)
    for keyword in sorted((old.keys() | new.keys()) - ANNOTATIONS - STRUCTURE):
        if keyword == "default" and (keyword not in old or keyword not in new):
            continue  # reported as the field made required or optional
        if old.get(keyword) != new.get(keyword):
            before, after = (_value(schema, keyword) for schema in (old, new))
            yield f"{where}: {keyword} changed from {before} to {after}", True


def _diff_enum(
    old: list[Any] | None, new: list[Any] | None, where: str
) -> Iterator[tuple[str, bool]]:
    if old is None or new is None:
        if old != new:
            yield f"{where} enum {'removed' if new is None else 'added'}", True
        return
    if removed := [value for value in old if value not in new]:
        yield f"{where} enum value(s) removed: {removed!r}", True
    if added := [value for value in new if value not in old]:
        yield (
            f"{where} enum value(s) added: {added!r} (consumers validating with the "
            "published schema would reject them; publish them in a new schema version)",
            True,
        )


def _diff_properties(old: JsonSchema, new: JsonSchema, path: str) -> Iterator[tuple[str, bool]]:
    old_properties, new_properties = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
    for name in sorted(old_properties.keys() | new_properties.keys()):
        field = f"{path}.{name}" if path else name
        if name not in new_properties:
            yield f"field '{field}' removed", True
        elif name not in old_properties:
            if name in new_required:
                yield f"new required field '{field}'", True
            else:
                yield f"new optional field '{field}'", False
        else:
            if name in new_required and name not in old_required:
                yield f"field '{field}' made required (stored events may lack it)", True
            elif name in old_required and name not in new_required:
                yield f"field '{field}' made optional (consumers rely on it being present)", True
            yield from _diff(old_properties[name], new_properties[name], field)


def _diff_additional(
    old_schema: JsonSchema, new_schema: JsonSchema, path: str
) -> Iterator[tuple[str, bool]]:
    old, new = old_schema.get("additionalProperties"), new_schema.get("additionalProperties")
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        yield from _diff(old, new, f"{path}{{*}}")
        return
    where = f"field '{path}'" if path else "payload"
    tightened = new is False or (isinstance(new, dict) and old in (None, True))
    verb = "tightened" if tightened else "loosened"
    yield f"{where} additionalProperties {verb} from {_extra(old)} to {_extra(new)}", True


def _value(schema: JsonSchema, keyword: str) -> str:
    return repr(schema[keyword]) if keyword in schema else "none"


def _extra(value: Any) -> str:
    if value is None or value is True:
        return "allowed"
    return "forbidden" if value is False else _render(value)


def _shape(schema: JsonSchema) -> Any:
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            return (keyword, sorted(repr(_shape(branch)) for branch in schema[keyword]))
    return (schema.get("type"), schema.get("format"))


def _render(schema: Any) -> str:
    if not isinstance(schema, dict):
        return repr(schema)
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            return " | ".join(_render(branch) for branch in schema[keyword])
    rendered = str(schema.get("type", "any"))
    if rendered == "array":
        rendered = f"array of {_render(schema.get('items', {}))}"
    if "format" in schema:
        rendered += f" ({schema['format']})"
    return rendered
