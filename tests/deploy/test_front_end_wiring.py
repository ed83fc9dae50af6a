"""The caseworker front end in compose and Kubernetes: its settings, where it finds the
services, its sign-in, and its probes."""

from __future__ import annotations

import pytest

from chassis.http.settings import AuthSettings
from chassis.web import WebSettings
from services.web.settings import CaseworkerWebSettings
from tests.deploy.manifests import KUSTOMIZATIONS
from tests.deploy.places import ServicePlacement, front_end_placements
from tests.deploy.settings_env import settings_variables

PLACEMENTS = front_end_placements()
SERVICE_HOSTS = {"compose": "{name}:8080", "k8s": "eocms-{name}"}


def placement_id(placement: ServicePlacement) -> str:
    return f"{placement.target}-{placement.service}"


def test_every_target_runs_the_front_end() -> None:
    assert sorted(p.target for p in PLACEMENTS) == sorted(["compose", *KUSTOMIZATIONS])


@pytest.mark.parametrize("placement", PLACEMENTS, ids=placement_id)
def test_the_front_end_finds_each_service_by_its_address(placement: ServicePlacement) -> None:
    names = {v.name for v in settings_variables(CaseworkerWebSettings)}
    assert names - {"CASEWORKER_WEB_SERVICE_NAME"} <= set(placement.env), placement.target
    pattern = SERVICE_HOSTS["compose" if placement.target == "compose" else "k8s"]
    for service in ("intake", "caseload", "programs", "reporting"):
        url = placement.env[f"CASEWORKER_WEB_{service.upper()}_URL"].value
        assert url == "http://" + pattern.format(name=service), (placement.target, url)


@pytest.mark.parametrize("placement", PLACEMENTS, ids=placement_id)
def test_sign_in_verifies_the_services_tokens(placement: ServicePlacement) -> None:
    mode = placement.env["AUTH_MODE"].value
    if mode == "prod":
        web = {v.name for v in settings_variables(WebSettings)}
        assert {"WEB_OIDC_DISCOVERY_URL", "WEB_OIDC_CLIENT_ID", "AUTH_JWKS_URL"} <= set(
            placement.env
        )
        assert placement.env["WEB_OIDC_CLIENT_SECRET"].is_secret_reference
        assert placement.env["WEB_SESSION_SECRET"].is_secret_reference
        assert web & set(placement.env)
    else:
        assert placement.env["AUTH_HS256_SECRET"].is_secret_reference
    assert {v.name for v in settings_variables(AuthSettings)} & set(placement.env)


@pytest.mark.parametrize(
    "placement", [p for p in PLACEMENTS if p.target != "compose"], ids=placement_id
)
def test_kubernetes_probes_the_front_end(placement: ServicePlacement) -> None:
    container = placement.container
    assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert container["startupProbe"]["httpGet"]["path"] == "/health/live"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
