"""deploy/monitoring: valid Prometheus rules, a dashboard on real metrics, wired into Kubernetes.

``promtool check rules`` (Debian's ``prometheus`` package, unpacked by ``make
setup``) checks the rules file. Every metric a rule or a dashboard panel
queries must be one the services really export: the names are read from a
live :class:`ServiceMetrics` on which the chassis registered its HTTP,
consumer and outbox instruments, plus ``eocms_consumer_parked_events`` (the
consumer's parked-events gauge) and the rules' own recorded series.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.metrics_core import Metric

from chassis.consumer.metrics import watch_projection
from chassis.http.metrics import ServiceMetrics
from chassis.outbox.backlog import watch_outbox_backlog
from tests.deploy.manifests import DEPLOY, K8S_BASE, KUSTOMIZATIONS, REPO_ROOT, of_kind, render

MONITORING = DEPLOY / "monitoring"
RULES_FILE = MONITORING / "eocms-rules.yaml"
PROMETHEUS_RULE = MONITORING / "prometheus-rule.yaml"
DASHBOARD = MONITORING / "grafana" / "eocms-dashboard.json"
PROMTOOL = REPO_ROOT / ".venv" / "debian" / "usr" / "bin" / "promtool"
PARKED_EVENTS = "eocms_consumer_parked_events"

PROMQL_WORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool",
    "and", "or", "unless", "inf", "nan",
}  # fmt: skip


def promtool(*arguments: str) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL.is_file(), f"{PROMTOOL} is missing: run `make setup` (Debian's prometheus)"
    return subprocess.run(
        [str(PROMTOOL), *arguments], capture_output=True, text=True, timeout=60, check=False
    )


def test_promtool_accepts_the_rules() -> None:
    result = promtool("check", "rules", str(RULES_FILE))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_promtool_rejects_a_broken_rule(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: sum(\n")

    assert promtool("check", "rules", str(broken)).returncode != 0


class FakeRunner:
    """What :func:`watch_projection` reads of a projection runner."""

    class projection:
        name = "reporting.facts"
        topics = ("eocms.intake.events",)

    def observe(self, callback: Callable[..., None]) -> None:
        """Dead-letter counts would arrive here."""


class NoLag:
    async def measure(self, group: str, topics: Any) -> list[Any]:
        return []


def exposed_names(family: Metric) -> Iterator[str]:
    """The series names Prometheus stores for one metric family."""
    if family.type == "counter":
        yield f"{family.name}_total"
    elif family.type == "histogram":
        yield from (f"{family.name}_{suffix}" for suffix in ("bucket", "sum", "count"))
    else:
        yield family.name


@pytest.fixture(scope="module")
def exported() -> set[str]:
    """Every metric name a service exports, from the chassis' own registrations."""
    metrics = ServiceMetrics()
    watch_projection(metrics, FakeRunner(), probe=NoLag())  # type: ignore[arg-type]
    watch_outbox_backlog(metrics, engine=None)  # type: ignore[arg-type]  (read at scrape only)
    names = {name for family in metrics.registry.collect() for name in exposed_names(family)}
    return names | {PARKED_EVENTS}


def rules() -> list[dict[str, Any]]:
    return [
        rule
        for group in yaml.safe_load(RULES_FILE.read_text())["groups"]
        for rule in group["rules"]
    ]


def recorded() -> set[str]:
    return {rule["record"] for rule in rules() if "record" in rule}


def dashboard_queries() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    queries = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    queries += [
        variable["query"]
        for variable in dashboard["templating"]["list"]
        if variable["type"] == "query"
    ]
    return queries


def metric_names(expression: str) -> set[str]:
    """The metric names a PromQL expression reads (label matchers, functions, keywords removed)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', "", expression)
    text = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    text = re.sub(r"label_values\(\s*([a-zA-Z_:][\w:]*)\s*,[^)]*\)", r"\1", text)
    names = set()
    for match in re.finditer(r"[a-zA-Z_:][\w:]*", text):
        following = text[match.end() :].lstrip()
        word = match.group()
        if following.startswith("(") or word.lower() in PROMQL_WORDS:
            continue
        if re.fullmatch(r"\d+[smhdwy]?", word):
            continue
        names.add(word)
    return names


def test_the_name_extraction_finds_metrics_not_functions_or_labels() -> None:
    expression = (
        'histogram_quantile(0.95, sum by (service, le) (rate(x_bucket{status=~"5.."}[5m])))'
        " / on (service) y > 1"
    )

    assert metric_names(expression) == {"x_bucket", "y"}


def test_every_rule_reads_only_exported_or_recorded_metrics(exported: set[str]) -> None:
    known = exported | recorded()
    for rule in rules():
        unknown = metric_names(rule["expr"]) - known
        assert not unknown, f"{rule.get('record') or rule.get('alert')}: {unknown}"


def test_every_dashboard_query_reads_only_exported_or_recorded_metrics(
    exported: set[str],
) -> None:
    known = exported | recorded()
    for query in dashboard_queries():
        assert metric_names(query) <= known, query


def test_the_dashboard_and_alerts_cover_what_operators_watch(exported: set[str]) -> None:
    watched = {
        "eocms_consumer_lag_messages",
        "eocms_projection_lag_seconds",
        PARKED_EVENTS,
        "eocms_outbox_backlog_rows",
        "eocms_dead_letters_total",
        "http_requests_total",
        "http_request_duration_seconds_bucket",
    }
    assert watched <= exported
    recording = {rule["record"]: metric_names(rule["expr"]) for rule in rules() if "record" in rule}

    def read_through(names: set[str]) -> set[str]:
        return set().union(*(recording.get(name, {name}) for name in names)) if names else set()

    shown = read_through(set().union(*(metric_names(q) for q in dashboard_queries())))
    alerted = read_through(set().union(*(metric_names(r["expr"]) for r in rules() if "alert" in r)))
    assert watched <= shown
    assert watched <= alerted


def test_the_prometheus_rule_resource_holds_the_same_rules() -> None:
    resource = yaml.safe_load(PROMETHEUS_RULE.read_text())

    assert resource["kind"] == "PrometheusRule"
    assert resource["spec"]["groups"] == yaml.safe_load(RULES_FILE.read_text())["groups"]


@pytest.mark.parametrize("target", list(KUSTOMIZATIONS))
def test_kubernetes_renders_the_service_monitor_rules_and_dashboard(target: str) -> None:
    resources = render(KUSTOMIZATIONS[target])

    (monitor,) = of_kind(resources, "ServiceMonitor")
    (rule,) = of_kind(resources, "PrometheusRule")
    (dashboard,) = [
        c
        for c in of_kind(resources, "ConfigMap")
        if c["metadata"]["name"] == "eocms-grafana-dashboard"
    ]
    assert rule["spec"]["groups"] == yaml.safe_load(RULES_FILE.read_text())["groups"]
    assert json.loads(dashboard["data"]["eocms-dashboard.json"]) == json.loads(
        DASHBOARD.read_text()
    )
    assert dashboard["metadata"]["labels"]["grafana_dashboard"] == "1"
    selector = monitor["spec"]["selector"]["matchLabels"]
    services = [
        s
        for s in of_kind(resources, "Service")
        if all(s["metadata"].get("labels", {}).get(k) == v for k, v in selector.items())
    ]
    components = {s["metadata"]["labels"]["app.kubernetes.io/component"] for s in services}
    assert {"intake", "caseload", "programs", "reporting"} <= components
    (endpoint,) = monitor["spec"]["endpoints"]
    for service in services:
        assert endpoint["port"] in {port["name"] for port in service["spec"]["ports"]}
    assert endpoint["path"] == "/metrics"


def test_the_base_kustomization_includes_the_monitoring_directory() -> None:
    kustomization = yaml.safe_load((K8S_BASE / "kustomization.yaml").read_text())

    assert "../../monitoring" in kustomization["bases"]


def test_the_alerts_fire_on_the_series_they_watch_and_only_then() -> None:
    result = promtool("test", "rules", str(Path(__file__).with_name("eocms-rules-test.yaml")))

    assert result.returncode == 0, result.stdout + result.stderr
