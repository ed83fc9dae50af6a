"""Wiring: what the code reads, uses and serves is what compose and Kubernetes provide.

- every environment variable a service's settings classes read (derived from
  the classes: fields, env prefixes, aliases) is set for that service, in
  compose and in the k8s base and overlays, secrets only by reference;
- no variable with one of our prefixes is set that no settings class reads;
- every topic the code uses (event topics, and the dead-letter topic of each
  consumer group and topic it reads) is declared in compose and as a Strimzi
  KafkaTopic;
- every probe path in the manifests is a route of the service's own app.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from chassis.settings import KafkaSettings
from eocms.catalogue import SERVICES
from tests.deploy.manifests import (
    KUSTOMIZATIONS,
    STRIMZI_API_VERSION,
    EnvValue,
    load_compose,
    of_kind,
    render,
)
from tests.deploy.places import (
    ServicePlacement,
    all_placements,
    compose_placements,
    kubernetes_placements,
)
from tests.deploy.settings_env import (
    SettingVariable,
    chassis_settings_classes,
    deployed_services,
    prefixes,
    service_settings_class,
    service_variables,
)
from tests.deploy.topics import consumer_groups, topics_in_use

NOT_DEPLOYED_FIELDS = {
    "service_name": "the class's own identity (log name, SQLite file name): never overridden",
    "data_dir": "the embedded SQLite directory: deployments set the database URL instead",
    "rulebook_directory": "unset: the rule books packaged in the image, versioned with the code",
    "search_index_previous_key": "set only while rotating intake's search index key",
    "search_index_previous_key_id": "set only while rotating intake's search index key",
    "pii_previous_master_key": "set only while a master key is rotated (docs/operations.md)",
    "pii_previous_key_version": "set only while a master key is rotated (docs/operations.md)",
}
"""Settings fields a deployment deliberately leaves unset, and why."""

AUTH_MODE_FIELDS = {
    "dev": {"hs256_secret"},
    "prod": {"jwks_file", "jwks", "jwks_url", "jwks_cache_s", "jwks_min_refresh_s"},
}
"""The fields each AUTH_MODE verifies tokens with; prod needs one of its JWKS sources."""
JWKS_SOURCES = {"jwks_url", "jwks_file", "jwks"}
"""Where prod mode reads the JWKS: one is set (the URL, as identity providers publish it)."""

KAFKA_PROTOCOL_FIELDS = {
    "PLAINTEXT": set(),
    "SSL": {"ssl_cafile"},
    "SASL_PLAINTEXT": {"sasl_mechanism", "sasl_username", "sasl_password"},
    "SASL_SSL": {"sasl_mechanism", "sasl_username", "sasl_password", "ssl_cafile"},
}
"""The Kafka fields each KAFKA_SECURITY_PROTOCOL uses; a placement sets exactly its protocol's
(PLAINTEXT leaves the SASL and TLS variables out rather than setting them empty)."""

KAFKA_OPTIONAL_FIELDS = {
    "ssl_certfile": "mutual TLS only: the deployments authenticate with SASL SCRAM-SHA-512",
    "ssl_keyfile": "mutual TLS only, with ssl_certfile",
}
"""Kafka fields no deployment sets, and why."""

PLACEMENTS = all_placements()


def placement_id(placement: ServicePlacement) -> str:
    return f"{placement.target}-{placement.service}"


def test_every_service_runs_once_in_compose_and_in_each_kustomization() -> None:
    targets = {"compose", *KUSTOMIZATIONS}
    for target in targets:
        served = sorted(p.service for p in PLACEMENTS if p.target == target)
        assert served == sorted(deployed_services()), target


def test_every_exemption_names_a_field_that_still_exists() -> None:
    service_fields = {
        field for s in deployed_services() for field in service_settings_class(s).model_fields
    }
    assert set(NOT_DEPLOYED_FIELDS) <= service_fields
    auth_fields = {v.field for v in service_variables("intake") if v.name.startswith("AUTH_")}
    assert set().union(*AUTH_MODE_FIELDS.values()) <= auth_fields
    kafka_fields = set(KafkaSettings.model_fields)
    assert set().union(*KAFKA_PROTOCOL_FIELDS.values()) | set(KAFKA_OPTIONAL_FIELDS) <= kafka_fields


def required_variables(placement: ServicePlacement) -> list[SettingVariable]:
    """The variables this placement must set: all but the exempt, the other auth mode's and
    the Kafka fields its security protocol does not use."""
    mode = placement.env.get("AUTH_MODE", EnvValue("literal", "dev")).value or "dev"
    other_modes = set().union(*(f for m, f in AUTH_MODE_FIELDS.items() if m != mode))
    unused_kafka = kafka_fields_unused_by(placement)
    return [
        variable
        for variable in service_variables(placement.service)
        if variable.field not in NOT_DEPLOYED_FIELDS
        and not (variable.name.startswith("WEB_") and not signs_in_browsers(placement, mode))
        and not (variable.name.startswith("AUTH_") and variable.field in other_modes)
        and not (variable.name.startswith("KAFKA_") and variable.field in unused_kafka)
        and variable.field not in JWKS_SOURCES  # prod alternatives, checked below
    ]


BROWSER_SERVICES = {"reporting"}
"""Services that sign browsers in (the dashboard); the others read no ``WEB_*`` variable."""


def signs_in_browsers(placement: ServicePlacement, auth_mode: str) -> bool:
    """Whether the placement needs the OpenID Connect sign-in settings (``WEB_*``).

    Only a service serving browser pages, and only with production tokens: in
    development mode the sign-in page mints development tokens instead.
    """
    return placement.service in BROWSER_SERVICES and auth_mode == "prod"


def security_protocol(placement: ServicePlacement) -> str:
    return placement.env.get("KAFKA_SECURITY_PROTOCOL", EnvValue("literal", "")).value or ""


def kafka_fields_unused_by(placement: ServicePlacement) -> set[str]:
    """The SASL/TLS fields the placement's protocol does not use (all for an unknown one)."""
    used = KAFKA_PROTOCOL_FIELDS.get(security_protocol(placement), set())
    return (set().union(*KAFKA_PROTOCOL_FIELDS.values()) | set(KAFKA_OPTIONAL_FIELDS)) - used


@pytest.mark.parametrize("placement", PLACEMENTS, ids=placement_id)
def test_the_kafka_security_is_decided_and_only_its_variables_are_set(
    placement: ServicePlacement,
) -> None:
    protocol = security_protocol(placement)
    assert protocol in KAFKA_PROTOCOL_FIELDS, f"{placement.target}: KAFKA_SECURITY_PROTOCOL"
    unused = {f"KAFKA_{field.upper()}" for field in kafka_fields_unused_by(placement)}
    assert not unused & set(placement.env), f"{placement.target}/{placement.service} ({protocol})"
    if placement.target in KUSTOMIZATIONS and placement.target != "dev":
        assert protocol == "SASL_SSL", "production clusters: TLS and SCRAM authentication"


@pytest.mark.parametrize("placement", PLACEMENTS, ids=placement_id)
def test_every_variable_the_service_reads_is_set(placement: ServicePlacement) -> None:
    missing = [v.name for v in required_variables(placement) if v.name not in placement.env]
    assert not missing, f"{placement.target}/{placement.service} does not set {missing}"


@pytest.mark.parametrize("placement", PLACEMENTS, ids=placement_id)
def test_production_auth_has_a_jwks_and_no_shared_secret(placement: ServicePlacement) -> None:
    mode = placement.env["AUTH_MODE"].value
    assert mode in AUTH_MODE_FIELDS
    if mode == "prod":
        assert {"AUTH_JWKS_FILE", "AUTH_JWKS", "AUTH_JWKS_URL"} & set(placement.env)
        assert "AUTH_HS256_SECRET" not in placement.env
    if placement.target in KUSTOMIZATIONS:
        assert mode == "prod", "Kubernetes deployments verify RS256 tokens against a JWKS"
        # The identity provider's published JWKS, fetched and cached: key rotation
        # needs no Secret update and no restart.
        url = placement.env["AUTH_JWKS_URL"]
        assert url.value is not None and url.value.startswith("https://"), url
        assert not {"AUTH_JWKS_FILE", "AUTH_JWKS"} & set(placement.env), placement.target


@pytest.mark.parametrize("placement", PLACEMENTS, ids=placement_id)
def test_secrets_are_only_referenced(placement: ServicePlacement) -> None:
    for variable in service_variables(placement.service):
        value = placement.env.get(variable.name)
        if variable.holds_a_secret and value is not None:
            assert value.is_secret_reference, (
                f"{placement.target}/{placement.service}: {variable.name} is a literal"
            )


@pytest.mark.parametrize("placement", PLACEMENTS, ids=placement_id)
def test_no_variable_is_set_that_nothing_reads(placement: ServicePlacement) -> None:
    known = {variable.name for variable in service_variables(placement.service)}
    ours = tuple(prefixes())
    stray = [name for name in placement.env if name.startswith(ours) and name not in known]
    assert not stray, f"{placement.target}/{placement.service} sets unread {stray}"


@pytest.mark.parametrize("placement", PLACEMENTS, ids=placement_id)
def test_the_literal_values_are_valid_settings(placement: ServicePlacement) -> None:
    """Literal and ConfigMap values parse with the settings classes that read them.

    Secret references are left out, except Kafka's: KafkaSettings requires the
    SASL password of SASL_* protocols, so a placeholder stands for that value.
    """
    with environment(deployed_values(placement)):
        for settings_class in chassis_settings_classes():
            settings_class()
        service_settings_class(placement.service)()


SECRET_PLACEHOLDER = "value-from-a-secret"


def deployed_values(placement: ServicePlacement) -> dict[str, str | None]:
    """The placement's literal values, and a placeholder for each Kafka secret reference."""
    return {
        name: SECRET_PLACEHOLDER if value.is_secret_reference else value.value
        for name, value in placement.env.items()
        if not value.is_secret_reference or name.startswith("KAFKA_")
    }


@contextmanager
def environment(values: dict[str, str | None]) -> Iterator[None]:
    """Set these variables (and clear every other variable with our prefixes) for a moment."""
    saved = dict(os.environ)
    ours = tuple(prefixes())
    try:
        for name in [n for n in os.environ if n.startswith(ours)]:
            del os.environ[name]
        os.environ.update({n: v for n, v in values.items() if v is not None})
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def consumer_groups_as_deployed(placement: ServicePlacement) -> dict[str, tuple[str, ...]]:
    """The consumer groups (and their topics) of a service, with the deployed settings."""
    literal = {n: v.value for n, v in placement.env.items() if not v.is_secret_reference}
    with environment(literal):
        return consumer_groups(placement.service, service_settings_class(placement.service)())


def declared_topics_in_compose() -> set[str]:
    init = load_compose()["services"]["kafka-init"]["environment"]
    return set(init["EVENT_TOPICS"].split()) | set(init["DEAD_LETTER_TOPICS"].split())


def declared_topics_in_kubernetes(target: str) -> set[str]:
    return {
        topic["spec"].get("topicName", topic["metadata"]["name"])
        for topic in of_kind(render(KUSTOMIZATIONS[target]), "KafkaTopic")
        if topic["apiVersion"] == STRIMZI_API_VERSION
    }


@pytest.mark.parametrize("target", ["compose", *KUSTOMIZATIONS])
def test_every_topic_the_code_uses_is_declared(target: str) -> None:
    declared = (
        declared_topics_in_compose()
        if target == "compose"
        else declared_topics_in_kubernetes(target)
    )
    placements = compose_placements() if target == "compose" else kubernetes_placements(target)
    groups = {g: t for p in placements for g, t in consumer_groups_as_deployed(p).items()}
    used = topics_in_use(groups)
    assert used - declared == set(), f"{target} does not declare {sorted(used - declared)}"
    assert declared - used == set(), f"{target} declares unused {sorted(declared - used)}"


def app_paths(service: str, tmp_path: Path) -> set[str]:
    """The paths of the service's own app, built by its composition root."""
    settings = service_settings_class(service)(
        database_url=f"sqlite+aiosqlite:///{tmp_path / f'{service}.db'}"
    )
    app: FastAPI = SERVICES[service].app_factory()(settings, KafkaSettings(bootstrap_servers=None))
    return {context.path for context in iter_route_contexts(app.routes)}


def probe_paths(container: dict) -> set[str]:  # type: ignore[type-arg]
    return {
        container[probe]["httpGet"]["path"]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe")
        if "httpGet" in container.get(probe, {})
    }


def compose_healthcheck_paths(spec: dict) -> set[str]:  # type: ignore[type-arg]
    test = " ".join(spec.get("healthcheck", {}).get("test", []))
    return {word.split("8080", 1)[1].split("'")[0] for word in test.split() if ":8080/" in word}


@pytest.mark.parametrize("placement", PLACEMENTS, ids=placement_id)
def test_every_probe_path_is_a_route_of_the_service(
    placement: ServicePlacement, tmp_path: Path
) -> None:
    if placement.target == "compose":
        paths = compose_healthcheck_paths(placement.container)
    else:
        paths = probe_paths(placement.container)
        assert {"/health/live", "/health/ready"} <= paths, "liveness and readiness probes"
    assert paths, f"{placement.target}/{placement.service} has no HTTP health check"
    assert paths <= app_paths(placement.service, tmp_path)


def test_the_probe_check_would_catch_a_path_the_app_does_not_serve(tmp_path: Path) -> None:
    assert "/healthz" not in app_paths("intake", tmp_path)
    assert {"/health/live", "/health/ready", "/metrics"} <= app_paths("intake", tmp_path)
