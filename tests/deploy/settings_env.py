"""The environment variables each service reads, derived from its settings classes.

A service reads every settings class of the chassis (Kafka, authentication)
and its own ``services/<name>/settings.py`` class; each field is read from its
alias, or from the class's ``env_prefix`` plus the field name, upper-cased.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass

from pydantic import AliasChoices, SecretStr
from pydantic_settings import BaseSettings

import chassis
from chassis.settings import ServiceSettings
from eocms.catalogue import SERVICES


@dataclass(frozen=True)
class SettingVariable:
    """One environment variable a settings field is read from."""

    name: str
    settings_class: type[BaseSettings]
    field: str

    @property
    def holds_a_secret(self) -> bool:
        """Typed SecretStr, or a database URL (it carries the database password)."""
        annotation = self.settings_class.model_fields[self.field].annotation
        return annotation is SecretStr or self.field == "database_url"


def deployed_services() -> list[str]:
    """The services of this build, by catalogue order."""
    return [name for name, entry in SERVICES.items() if entry.available()]


def chassis_settings_classes() -> list[type[BaseSettings]]:
    """Every settings class the chassis defines, except the per-service base class."""
    found: dict[str, type[BaseSettings]] = {}
    for module_info in pkgutil.walk_packages(chassis.__path__, "chassis."):
        if module_info.name.startswith("chassis.migrations"):
            continue  # Alembic's env.py runs migrations on import
        if module_info.name.startswith("chassis.web"):
            continue  # browser sign-in: read by front ends (tests/deploy/test_front_end_wiring.py)
        module = importlib.import_module(module_info.name)
        for _, candidate in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(candidate, BaseSettings)
                and candidate.__module__.startswith("chassis.")
                and not issubclass(candidate, ServiceSettings)
            ):
                found[f"{candidate.__module__}.{candidate.__qualname__}"] = candidate
    return list(found.values())


def service_settings_class(service: str) -> type[ServiceSettings]:
    """The service's settings class, as the catalogue names it (what ``serve`` reads)."""
    return SERVICES[service].settings_class()


def settings_variables(settings_class: type[BaseSettings]) -> list[SettingVariable]:
    """The variable of every field of ``settings_class`` (its alias or prefix + name)."""
    prefix = settings_class.model_config.get("env_prefix", "")
    variables = []
    for field_name, field in settings_class.model_fields.items():
        alias = field.validation_alias or field.alias
        if isinstance(alias, AliasChoices):
            names = [choice for choice in alias.choices if isinstance(choice, str)]
        elif isinstance(alias, str):
            names = [alias]
        else:
            names = [f"{prefix}{field_name}"]
        variables.extend(
            SettingVariable(name.upper(), settings_class, field_name) for name in names
        )
    return variables


def service_variables(service: str) -> list[SettingVariable]:
    """Every variable ``service`` reads: the chassis' settings and its own."""
    classes = [*chassis_settings_classes(), service_settings_class(service)]
    return [variable for cls in classes for variable in settings_variables(cls)]


def prefixes() -> set[str]:
    """Every env prefix of every settings class: a variable starting with one is ours."""
    classes = [*chassis_settings_classes(), *map(service_settings_class, deployed_services())]
    return {cls.model_config.get("env_prefix", "") for cls in classes} - {""}
