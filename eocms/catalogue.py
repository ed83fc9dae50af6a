"""The services ``eocms up``, ``serve``, ``migrate`` and the demo know, by import path.

Each service has one composition root, ``services.<name>.bootstrap.create_app``,
one settings class and its own Alembic versions. The catalogue names them by
import path, so nothing is imported before it is used.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from chassis.settings import ServiceSettings


@dataclass(frozen=True)
class ServiceEntry:
    """One deployable service."""

    name: str
    bootstrap_module: str
    settings_class_path: str
    """``module:Class`` of the service's :class:`ServiceSettings` subclass."""
    default_port: int

    def app_factory(self) -> Callable[..., FastAPI]:
        """The service's ``create_app`` (imported on first use)."""
        module: Any = importlib.import_module(self.bootstrap_module)
        return module.create_app  # type: ignore[no-any-return]

    def settings_class(self) -> type[ServiceSettings]:
        """The service's settings class (imported on first use)."""
        module_name, _, class_name = self.settings_class_path.partition(":")
        settings_class = getattr(importlib.import_module(module_name), class_name)
        if not issubclass(settings_class, ServiceSettings):
            raise TypeError(f"{self.settings_class_path} is not a ServiceSettings subclass")
        return settings_class

    def settings(self, **overrides: Any) -> ServiceSettings:
        """The service's settings from the environment, with ``overrides`` on top."""
        return self.settings_class()(**overrides)

    def migrations(self) -> Path:
        """The service's own Alembic versions (``services/<name>/adapters/migrations/versions``)."""
        package = f"services.{self.name}.adapters.migrations"
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise LookupError(f"{package} is not in this build")
        return Path(next(iter(spec.submodule_search_locations))) / "versions"

    def available(self) -> bool:
        """Whether this checkout has the service's composition root."""
        try:
            return importlib.util.find_spec(self.bootstrap_module) is not None
        except ModuleNotFoundError:  # the service's package itself is not in this build
            return False


SERVICES: dict[str, ServiceEntry] = {
    entry.name: entry
    for entry in (
        ServiceEntry(
            "intake", "services.intake.bootstrap", "services.intake.settings:IntakeSettings", 8001
        ),
        ServiceEntry(
            "caseload",
            "services.caseload.bootstrap",
            "services.caseload.settings:CaseloadSettings",
            8002,
        ),
        ServiceEntry(
            "programs",
            "services.programs.bootstrap",
            "services.programs.settings:ProgramsSettings",
            8003,
        ),
        ServiceEntry(
            "reporting",
            "services.reporting.bootstrap",
            "services.reporting.settings:ReportingSettings",
            8004,
        ),
    )
}
