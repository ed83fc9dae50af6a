"""The deployment files as data: rendered kustomizations, the compose file, a place's env.

Kustomizations are rendered with the kubectl of Debian's ``kubernetes-client``
package that ``make setup`` unpacks under ``.venv/debian`` (kubectl v1.20.2,
whose built-in kustomize is v2.0), never whatever ``kubectl`` is on PATH, so
the manifests are known to render with the oldest kustomize we support.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "compose.yaml"
K8S_BASE = DEPLOY / "k8s" / "base"
K8S_OVERLAYS = {
    "dev": DEPLOY / "k8s" / "overlays" / "dev",
    "prod": DEPLOY / "k8s" / "overlays" / "prod",
}
KUSTOMIZATIONS = {"base": K8S_BASE, **K8S_OVERLAYS}
KUBECTL = REPO_ROOT / ".venv" / "debian" / "usr" / "bin" / "kubectl"

KUBERNETES_VERSION = "1.33.0"
"""The Kubernetes version the manifests target, validated with kubernetes-validate's
bundled schemas (it bundles 1.33 to 1.37; the oldest is the promise we keep)."""

STRIMZI_API_VERSION = "kafka.strimzi.io/v1beta2"

Resource = dict[str, Any]


def render(kustomization: Path) -> list[Resource]:
    """The resources ``kubectl kustomize`` renders from one kustomization directory."""
    return list(_render_cached(kustomization))


@cache
def _render_cached(kustomization: Path) -> tuple[Resource, ...]:
    assert KUBECTL.is_file(), f"{KUBECTL} is missing: run `make setup` (Debian's kubectl)"
    completed = subprocess.run(
        [str(KUBECTL), "kustomize", str(kustomization)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, f"kustomize failed for {kustomization}:\n{completed.stderr}"
    return tuple(doc for doc in yaml.safe_load_all(completed.stdout) if doc)


def of_kind(resources: list[Resource], kind: str) -> list[Resource]:
    """The resources of one kind."""
    return [r for r in resources if r["kind"] == kind]


def named(resources: list[Resource], kind: str, name: str) -> Resource:
    """The one resource of ``kind`` called ``name``."""
    matches = [r for r in of_kind(resources, kind) if r["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def pod_templates(resources: list[Resource]) -> Iterator[tuple[Resource, Resource]]:
    """Every (workload, pod spec) pair: Deployments, StatefulSets and Jobs."""
    for resource in resources:
        if resource["kind"] in {"Deployment", "StatefulSet", "Job"}:
            yield resource, resource["spec"]["template"]["spec"]


def load_compose() -> dict[str, Any]:
    """The compose file with its YAML anchors and merge keys resolved."""
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class EnvValue:
    """Where one environment variable's value comes from."""

    source: str  # "literal", "configmap", "secret" or "interpolated"
    value: str | None = None

    @property
    def is_secret_reference(self) -> bool:
        """A Kubernetes Secret key or a compose ``${VAR}`` filled in by the operator."""
        return self.source in {"secret", "interpolated"}


def container_env(container: Resource, resources: list[Resource]) -> dict[str, EnvValue]:
    """A container's environment as Kubernetes would build it from these resources."""
    config_maps = {
        c["metadata"]["name"]: c.get("data", {}) for c in of_kind(resources, "ConfigMap")
    }
    env: dict[str, EnvValue] = {}
    for source in container.get("envFrom", []):
        assert "configMapRef" in source, "envFrom a Secret hides which variables it sets"
        name = source["configMapRef"]["name"]
        assert name in config_maps, f"envFrom names a ConfigMap that is not rendered: {name}"
        for key, value in config_maps[name].items():
            env[key] = EnvValue("configmap", str(value))
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = EnvValue("literal", str(item["value"]))
        elif "secretKeyRef" in item.get("valueFrom", {}):
            env[item["name"]] = EnvValue("secret")
        elif "configMapKeyRef" in item.get("valueFrom", {}):
            ref = item["valueFrom"]["configMapKeyRef"]
            env[item["name"]] = EnvValue("configmap", config_maps[ref["name"]][ref["key"]])
        else:
            raise AssertionError(f"unexpected env source for {item['name']}: {item}")
    return env


def compose_env(service: Mapping[str, Any]) -> dict[str, EnvValue]:
    """A compose service's environment; ``${...}`` values come from the operator's env."""
    raw = service.get("environment", {})
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {
        name: EnvValue("interpolated" if "${" in str(value) else "literal", str(value))
        for name, value in raw.items()
    }
