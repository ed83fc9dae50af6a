"""English and French labels from message catalogues, and the reader's language choice.

A catalogue is one JSON file per language (``en.json``, ``fr.json``) of
``key: text`` pairs; pages and scripts look labels up by key, so one template
serves both languages. :func:`catalogue` merges the chassis's own messages
(sign-in) with a front end's. The choice is remembered in the ``eocms_lang``
cookie; ``?lang=fr`` switches and sets it; otherwise the browser's
``Accept-Language`` decides, English by default.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable

from starlette.requests import Request
from starlette.responses import Response

LANGUAGES = ("en", "fr")
LANGUAGE_COOKIE = "eocms_lang"
_YEAR_S = 365 * 24 * 3600


class MissingMessage(KeyError):
    """A catalogue lacks a key that another language has."""


def _read(directory: Traversable, language: str) -> dict[str, str]:
    return json.loads((directory / f"{language}.json").read_text(encoding="utf-8"))


def catalogue(*directories: Traversable) -> dict[str, dict[str, str]]:
    """Messages per language, merged from ``directories`` (later ones win).

    Raises :class:`MissingMessage` when a key is in one language and not the other.
    """
    merged: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    for directory in (chassis_messages(), *directories):
        for language in LANGUAGES:
            merged[language].update(_read(directory, language))
    english, french = set(merged["en"]), set(merged["fr"])
    if english != french:
        raise MissingMessage(sorted(english ^ french))
    return merged


def chassis_messages() -> Traversable:
    """The sign-in page's catalogue directory."""
    return resources.files("chassis.web") / "messages"


def chosen_language(request: Request) -> str:
    """``?lang=`` if valid, else the cookie, else the browser's preference, else English."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(LANGUAGE_COOKIE)
    if remembered in LANGUAGES:
        return remembered
    accept = request.headers.get("accept-language", "").strip().lower()
    return "fr" if accept.startswith("fr") else "en"


def remember_language(response: Response, language: str, *, secure: bool) -> None:
    """Keep the reader's language for a year."""
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=_YEAR_S, httponly=True, samesite="lax", secure=secure
    )


def translate(messages: Mapping[str, str], key: str, **values: object) -> str:
    """The message for ``key`` with ``{name}`` placeholders filled."""
    text = messages[key]
    return text.format(**values) if values else text
