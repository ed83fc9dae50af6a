"""The Kubernetes manifests, validated offline at the Kubernetes version they target.

The base and both overlays are rendered with Debian's kubectl (kustomize
v2.0); every built-in resource is validated, strictly (unknown fields are
errors), with kubernetes-validate's bundled schema of ``KUBERNETES_VERSION``.
Strimzi's ``KafkaTopic`` has no schema available offline; test_strimzi_topics
checks it. Then the properties the issue asks for: probes, resources,
disruption budgets, the reporting autoscaler bounded by partitions, migration
Jobs, Secrets by reference only, and databases reachable only by their service.
"""

from __future__ import annotations

import copy
import subprocess

import kubernetes_validate
import pytest

from tests.deploy.manifests import (
    K8S_OVERLAYS,
    KUBECTL,
    KUBERNETES_VERSION,
    KUSTOMIZATIONS,
    STRIMZI_API_VERSION,
    Resource,
    named,
    of_kind,
    pod_templates,
    render,
)
from tests.deploy.settings_env import deployed_services, service_settings_class
from tests.deploy.topics import consumer_groups

TARGETS = list(KUSTOMIZATIONS)
PROMETHEUS_OPERATOR_API_VERSION = "monitoring.coreos.com/v1"
"""ServiceMonitor and PrometheusRule: no schema offline; test_monitoring checks them."""


def built_in(resources: list[Resource]) -> list[Resource]:
    return [
        r
        for r in resources
        if r["apiVersion"] not in (STRIMZI_API_VERSION, PROMETHEUS_OPERATOR_API_VERSION)
    ]


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def test_manifests_render_with_the_old_kustomize_of_debians_kubectl() -> None:
    version = subprocess.run(
        [str(KUBECTL), "version", "--client", "--short"], capture_output=True, text=True, check=True
    )
    assert "v1.20." in version.stdout, "kubectl v1.20 carries kustomize v2.0, the oldest we support"
    for kustomization in KUSTOMIZATIONS.values():
        assert of_kind(render(kustomization), "Deployment")


@pytest.mark.parametrize("target", TARGETS)
def test_every_built_in_resource_is_valid_at_the_target_kubernetes_version(target: str) -> None:
    resources = built_in(render(KUSTOMIZATIONS[target]))
    assert resources
    for resource in resources:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_the_validator_rejects_an_unknown_field() -> None:
    deployment = copy.deepcopy(named(render(KUSTOMIZATIONS["base"]), "Deployment", "eocms-intake"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("target", list(K8S_OVERLAYS))
def test_overlays_put_everything_in_their_namespace_and_run_a_tagged_image(target: str) -> None:
    resources = render(K8S_OVERLAYS[target])
    (namespace,) = of_kind(resources, "Namespace")
    for resource in resources:
        if resource["kind"] != "Namespace":
            assert resource["metadata"]["namespace"] == namespace["metadata"]["name"]
    for _workload, pod in pod_templates(resources):
        for container in pod["containers"]:
            assert ":" in container["image"], f"{container['name']} runs an untagged image"


@pytest.mark.parametrize("target", TARGETS)
def test_every_container_has_requests_limits_and_eocms_runs_unprivileged(target: str) -> None:
    for workload, pod in pod_templates(render(KUSTOMIZATIONS[target])):
        assert pod["securityContext"]["runAsNonRoot"] is True, workload["metadata"]["name"]
        for container in pod["containers"]:
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), container["name"]
            assert {"cpu", "memory"} <= set(resources["limits"]), container["name"]
            assert container["securityContext"]["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("target", TARGETS)
def test_every_deployment_has_probes_a_service_and_a_disruption_budget(target: str) -> None:
    resources = render(KUSTOMIZATIONS[target])
    for deployment in of_kind(resources, "Deployment"):
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            assert {"livenessProbe", "readinessProbe"} <= set(container), container["name"]
        budgets = [
            b
            for b in of_kind(resources, "PodDisruptionBudget")
            if matches(b["spec"]["selector"]["matchLabels"], pod_labels)
        ]
        assert len(budgets) == 1, deployment["metadata"]["name"]
        services = [
            s for s in of_kind(resources, "Service") if matches(s["spec"]["selector"], pod_labels)
        ]
        assert len(services) == 1, deployment["metadata"]["name"]
        port_names = {
            port["name"]
            for container in deployment["spec"]["template"]["spec"]["containers"]
            for port in container.get("ports", [])
        }
        assert {p["targetPort"] for p in services[0]["spec"]["ports"]} <= port_names


@pytest.mark.parametrize("target", TARGETS)
def test_only_reporting_autoscales_and_never_beyond_its_partitions(target: str) -> None:
    resources = render(KUSTOMIZATIONS[target])
    (autoscaler,) = of_kind(resources, "HorizontalPodAutoscaler")
    assert autoscaler["spec"]["scaleTargetRef"]["name"] == "eocms-reporting"
    target_deployment = named(resources, "Deployment", "eocms-reporting")
    assert target_deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]
    partitions = {
        t["spec"]["topicName"]: t["spec"]["partitions"] for t in of_kind(resources, "KafkaTopic")
    }
    groups = consumer_groups("reporting", service_settings_class("reporting")())
    read = {topic for topics in groups.values() for topic in topics}
    assert read, "reporting consumes the events topics"
    assert 1 <= autoscaler["spec"]["minReplicas"] <= autoscaler["spec"]["maxReplicas"]
    assert autoscaler["spec"]["maxReplicas"] <= min(partitions[topic] for topic in read)


@pytest.mark.parametrize("target", TARGETS)
def test_a_migration_job_per_service_runs_eocms_migrate_on_the_service_database(
    target: str,
) -> None:
    resources = render(KUSTOMIZATIONS[target])
    for service in deployed_services():
        job = named(resources, "Job", f"eocms-migrate-{service}")
        (container,) = job["spec"]["template"]["spec"]["containers"]
        assert container["command"] + container["args"] == ["eocms", "migrate", service]
        deployment = named(resources, "Deployment", f"eocms-{service}")
        url = f"{service.upper()}_DATABASE_URL"
        assert database_secret(container, url) == database_secret(
            deployment["spec"]["template"]["spec"]["containers"][0], url
        )


def database_secret(container: Resource, variable: str) -> dict[str, str]:
    (item,) = [e for e in container["env"] if e["name"] == variable]
    return item["valueFrom"]["secretKeyRef"]  # type: ignore[no-any-return]


SECRET_WORDS = ("PASSWORD", "SECRET", "MASTER_KEY", "DATABASE_URL")


@pytest.mark.parametrize("target", TARGETS)
def test_secrets_are_referenced_never_written(target: str) -> None:
    resources = render(KUSTOMIZATIONS[target])
    assert of_kind(resources, "Secret") == []
    for config_map in of_kind(resources, "ConfigMap"):
        assert not [k for k in config_map.get("data", {}) if any(w in k for w in SECRET_WORDS)]
    for _workload, pod in pod_templates(resources):
        for container in pod["containers"]:
            for item in container.get("env", []):
                if any(word in item["name"] for word in SECRET_WORDS):
                    assert "secretKeyRef" in item.get("valueFrom", {}), item["name"]


@pytest.mark.parametrize("target", TARGETS)
def test_only_a_service_reaches_its_own_database(target: str) -> None:
    resources = render(KUSTOMIZATIONS[target])
    workloads = list(pod_templates(resources))
    for service in deployed_services():
        database = named(resources, "StatefulSet", f"eocms-{service}-postgres")
        database_labels = database["spec"]["template"]["metadata"]["labels"]
        policies = [
            p
            for p in of_kind(resources, "NetworkPolicy")
            if matches(p["spec"]["podSelector"]["matchLabels"], database_labels)
        ]
        assert len(policies) == 1, f"{service}'s database needs exactly one NetworkPolicy"
        (policy,) = policies
        assert policy["spec"]["policyTypes"] == ["Ingress"]
        admitted = {
            workload["metadata"]["name"]
            for rule in policy["spec"]["ingress"]
            for peer in rule["from"]
            for workload, _pod in workloads
            if set(peer) == {"podSelector"}
            and matches(
                peer["podSelector"]["matchLabels"],
                workload["spec"]["template"]["metadata"]["labels"],
            )
        }
        assert admitted == {f"eocms-{service}", f"eocms-migrate-{service}"}
        assert all(
            set(peer) == {"podSelector"} for r in policy["spec"]["ingress"] for peer in r["from"]
        )
        assert [p["port"] for r in policy["spec"]["ingress"] for p in r["ports"]] == [5432]
