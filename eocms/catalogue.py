"""The services ``eocms up`` and ``eocms serve`` know: where each app factory lives.

Each service has one composition root, ``services.<name>.bootstrap.create_app``.
The catalogue names it by import path, so nothing is imported before it is used.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI


@dataclass(frozen=True)
class ServiceEntry:
    """One deployable service."""

    name: str
    bootstrap_module: str
    default_port: int

    def app_factory(self) -> Callable[..., FastAPI]:
        """The service's ``create_app`` (imported on first use)."""
        module: Any = importlib.import_module(self.bootstrap_module)
        return module.create_app  # type: ignore[no-any-return]

    def available(self) -> bool:
        """Whether this checkout has the service's composition root."""
        try:
            return importlib.util.find_spec(self.bootstrap_module) is not None
        except ModuleNotFoundError:  # the service's package itself is not in this build
            return False


SERVICES: dict[str, ServiceEntry] = {
    entry.name: entry
    for entry in (
        ServiceEntry("intake", "services.intake.bootstrap", 8001),
        ServiceEntry("caseload", "services.caseload.bootstrap", 8002),
        ServiceEntry("programs", "services.programs.bootstrap", 8003),
        ServiceEntry("reporting", "services.reporting.bootstrap", 8004),
    )
}
