"""The browser front ends ``eocms up`` and ``eocms serve`` run beside the services.

A front end has no database, no migrations and no topics, so it is not in
:data:`eocms.catalogue.SERVICES` (whose entries every store- and bus-related
command iterates); it is listed here instead. Today there is one: the
caseworkers' web front end (``services/web``), served by ``eocms serve web``.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from pydantic_settings import BaseSettings

from eocms.catalogue import SERVICES


@dataclass(frozen=True)
class FrontEndEntry:
    """One deployable front end: its composition root, settings class and port."""

    name: str
    bootstrap_module: str
    settings_class_path: str
    default_port: int

    def settings(self, **overrides: Any) -> BaseSettings:
        """Its settings from the environment, with ``overrides`` on top."""
        module_name, _, class_name = self.settings_class_path.partition(":")
        return getattr(importlib.import_module(module_name), class_name)(**overrides)

    def create_app(self, **options: Any) -> FastAPI:
        """Its app, built by its ``create_app``."""
        module: Any = importlib.import_module(self.bootstrap_module)
        return module.create_app(**options)  # type: ignore[no-any-return]


FRONT_ENDS: dict[str, FrontEndEntry] = {
    "web": FrontEndEntry(
        "web", "services.web.bootstrap", "services.web.settings:CaseworkerWebSettings", 8005
    ),
}


def service_urls(host: str, ports: Mapping[str, int] | None = None) -> dict[str, str]:
    """``<service>_url`` settings pointing a front end at the services ``eocms up`` runs."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return {
        f"{name}_url": f"http://{shown}:{(ports or {}).get(name, entry.default_port)}"
        for name, entry in SERVICES.items()
    }


def front_end_app(
    name: str, host: str, ports: Mapping[str, int] | None = None, **options: Any
) -> FastAPI:
    """Front end ``name`` wired to the services at ``host`` and their ports."""
    entry = FRONT_ENDS[name]
    settings = entry.settings(**service_urls(host, ports))
    return entry.create_app(settings=settings, **options)
