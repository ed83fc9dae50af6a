"""Where each service runs: its container environment in compose and in each kustomization."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eocms.front_ends import FRONT_ENDS
from tests.deploy.manifests import (
    KUSTOMIZATIONS,
    EnvValue,
    Resource,
    compose_env,
    container_env,
    load_compose,
    of_kind,
    render,
)


@dataclass(frozen=True)
class ServicePlacement:
    """One service as one deployment target runs it."""

    target: str  # "compose", "base", "dev" or "prod"
    service: str
    env: dict[str, EnvValue]
    command: list[str]
    container: dict[str, Any]


def served_service(command: list[str]) -> str | None:
    """The SERVICE of an ``eocms serve SERVICE ...`` container (image entry point + args).

    Front ends (``eocms serve web``) are not services: see :func:`front_end_placements`.
    """
    name = served_anything(command)
    return None if name in FRONT_ENDS else name


def served_anything(command: list[str]) -> str | None:
    """The name ``eocms serve`` is given: a service or a front end."""
    return command[0] if command and not command[0].startswith("-") else None


def front_end_placements() -> list[ServicePlacement]:
    """Every compose service and Deployment container that runs a browser front end."""
    found = []
    for _name, spec in load_compose()["services"].items():
        command = [str(part) for part in spec.get("command", [])]
        if served_anything(command) in FRONT_ENDS and "entrypoint" not in spec:
            found.append(ServicePlacement("compose", command[0], compose_env(spec), command, spec))
    for target in KUSTOMIZATIONS:
        resources = render(KUSTOMIZATIONS[target])
        for container in serving_containers(resources):
            args = [str(a) for a in container.get("args", [])]
            if served_anything(args) in FRONT_ENDS:
                env = container_env(container, resources)
                found.append(ServicePlacement(target, args[0], env, args, container))
    return found


def compose_placements() -> list[ServicePlacement]:
    """Every compose service that runs the image's default entry point (``eocms serve``)."""
    placements = []
    for _name, spec in load_compose()["services"].items():
        if "entrypoint" in spec or not str(spec.get("image", "")).startswith("${EOCMS_IMAGE"):
            continue
        command = [str(part) for part in spec.get("command", [])]
        service = served_service(command)
        if service is not None:
            placements.append(
                ServicePlacement("compose", service, compose_env(spec), command, spec)
            )
    return placements


def kubernetes_placements(target: str) -> list[ServicePlacement]:
    """Every Deployment container of one kustomization that runs ``eocms serve``."""
    resources = render(KUSTOMIZATIONS[target])
    return [
        ServicePlacement(
            target,
            service,
            container_env(container, resources),
            [str(arg) for arg in container.get("args", [])],
            container,
        )
        for container in serving_containers(resources)
        if (service := served_service([str(a) for a in container.get("args", [])])) is not None
    ]


def serving_containers(resources: list[Resource]) -> list[Resource]:
    """Containers of Deployments that keep the image's entry point."""
    return [
        container
        for deployment in of_kind(resources, "Deployment")
        for container in deployment["spec"]["template"]["spec"]["containers"]
        if "command" not in container
    ]


def all_placements() -> list[ServicePlacement]:
    """Compose, the k8s base and both overlays."""
    return [*compose_placements(), *(p for t in KUSTOMIZATIONS for p in kubernetes_placements(t))]
