"""Forms: fields named by their path in the API's request body, one idempotency key per render.

A field's ``name`` is its JSON path (``personal_details.given_name``), so the
posted form turns into the command's body by :func:`body_of`, and a problem's
field message lands next to the input of the same name. Each rendered form
carries a fresh ``idempotency_key`` in a hidden input: submitting it twice
(a double-click, the browser's resend) sends the same key, and the service
performs the command once. After a refusal the form is shown again with a
*new* key, since the refused command changed nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from services.web.markup import text

Kind = Literal["text", "date", "int", "bool", "select", "multi", "cents", "hidden"]


@dataclass(frozen=True)
class Field:
    """One input: its body path, kind, label key, and choices for selects."""

    name: str
    kind: Kind
    label: str
    choices: Sequence[str] = ()
    required: bool = False


@dataclass
class FormState:
    """What a form shows: earlier input, messages per field, a message on top, its key."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    key: str = field(default_factory=lambda: str(uuid.uuid4()))


def refused(form: Mapping[str, list[str]], answer: Any, words: Mapping[str, str]) -> FormState:
    """The form again after ``answer`` refused it: what was typed, the service's messages
    in the reader's language next to their fields (and on top), and a new key."""
    errors = {
        path: words.get(f"error.{kind}", message)
        for path, (kind, message) in answer.field_errors.items()
    }
    if errors:
        problem = words["form.check_fields"]
    else:
        problem = words.get(f"problem.{answer.problem_type}", answer.problem)
    return FormState(values_of(form), errors, problem)


def body_of(fields: Sequence[Field], form: Mapping[str, list[str]]) -> dict[str, Any]:
    """The command body from posted values; empty optional inputs are left out."""
    body: dict[str, Any] = {}
    for spec in fields:
        raw = form.get(spec.name, [])
        value: Any
        if spec.kind == "multi":
            value = [item for item in raw if item]
        elif spec.kind == "bool":
            value = bool(raw and raw[0] in ("on", "true", "1"))
        else:
            text = (raw[0] if raw else "").strip()
            if text == "":
                continue
            value = _typed(spec.kind, text)
        _put(body, spec.name, value)
    return body


def values_of(form: Mapping[str, list[str]]) -> dict[str, Any]:
    """Posted values to show again (lists for repeated names)."""
    return {name: items if len(items) > 1 else items[0] for name, items in form.items()}


def _typed(kind: str, text: str) -> Any:
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            return text  # the service says what is wrong, next to the field
    if kind == "cents":
        try:
            return round(float(text.replace(",", ".").replace(" ", "")) * 100)
        except ValueError:
            return text
    return text


def _put(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = body
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def render_fields(
    fields: Sequence[Field], state: FormState, words: Mapping[str, str], prefix: str = "f"
) -> str:
    """The inputs of a form with their labels and messages, and the hidden key.

    ``prefix`` keeps element ids unique when several forms on a page share a field name.
    """
    parts = [f'<input type="hidden" name="idempotency_key" value="{text(state.key)}">']
    parts += [render_field(spec, state, words, prefix) for spec in fields]
    return "".join(parts)


def render_field(spec: Field, state: FormState, words: Mapping[str, str], prefix: str = "f") -> str:
    """One labelled input, its current value, and the service's message about it."""
    ident = f"{prefix}-" + spec.name.replace(".", "-")
    error = state.errors.get(spec.name)
    described = f' aria-describedby="{ident}-error" aria-invalid="true"' if error else ""
    message = f'<span class="field-error" id="{ident}-error">{text(error)}</span>' if error else ""
    label = text(words.get(spec.label, spec.label))
    current = state.values.get(spec.name, "")
    required = " required" if spec.required else ""
    if spec.kind == "hidden":
        return f'<input type="hidden" name="{text(spec.name)}" value="{text(current)}">'
    if spec.kind == "bool":
        checked = " checked" if current in ("on", "true", True) else ""
        return (
            f'<div class="field check"><input type="checkbox" id="{ident}" name="{text(spec.name)}"'
            f'{checked}{described}><label for="{ident}">{label}</label>{message}</div>'
        )
    if spec.kind in ("select", "multi"):
        chosen = current if isinstance(current, list) else [current]
        multiple = ' multiple size="4"' if spec.kind == "multi" else ""
        blank = "" if spec.required or spec.kind == "multi" else '<option value=""></option>'
        options = "".join(
            f'<option value="{text(choice)}"{" selected" if choice in chosen else ""}>'
            f"{text(words.get('choice.' + choice, choice))}</option>"
            for choice in spec.choices
        )
        return (
            f'<div class="field"><label for="{ident}">{label}</label>'
            f'<select id="{ident}" name="{text(spec.name)}"{multiple}{required}{described}>'
            f"{blank}{options}</select>{message}</div>"
        )
    kind = {"date": "date", "int": "number", "cents": "text"}.get(spec.kind, "text")
    extra = ' inputmode="decimal"' if spec.kind == "cents" else ""
    return (
        f'<div class="field"><label for="{ident}">{label}</label>'
        f'<input type="{kind}" id="{ident}" name="{text(spec.name)}" value="{text(current)}"'
        f"{extra}{required}{described}>{message}</div>"
    )


def problem_banner(state: FormState, words: Mapping[str, str]) -> str:
    """The refusal that concerns no single field, on top of the form."""
    if not state.problem:
        return ""
    return (
        f'<p class="error" role="alert"><strong>{text(words["form.refused"])}</strong> '
        f"{text(state.problem)}</p>"
    )
