"""docs/operations.md cites only real commands, files and Kubernetes objects.

Every ``eocms ...`` command in the runbook's code blocks and inline code must
resolve, sub-command by sub-command, in the ``eocms`` Typer app, and use only
options that command has. Paths under ``deploy/`` must exist, and the
``deployment/NAME`` and ``-l`` selectors of its kubectl commands must name
objects of the rendered prod overlay.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import typer.main
import yaml
from typer.core import TyperGroup

from eocms.cli import app
from tests.deploy.manifests import K8S_OVERLAYS, REPO_ROOT, of_kind, render

RUNBOOK = REPO_ROOT / "docs" / "operations.md"
RULES_FILE = REPO_ROOT / "deploy" / "monitoring" / "eocms-rules.yaml"
FENCE = re.compile(r"^[ \t]*```[a-z]*\n(.*?)^[ \t]*```[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`\n]+)`")
SHELL_SEPARATORS = {"&&", "||", "|", ";", ")", ">", "<"}


def code_lines() -> list[str]:
    """Each logical line of each code block, plus each inline code span."""
    text = RUNBOOK.read_text(encoding="utf-8")
    lines = []
    for block in FENCE.findall(text):
        lines.extend(block.replace("\\\n", " ").splitlines())
    prose = FENCE.sub("", text)
    lines.extend(INLINE.findall(prose))
    return [line.strip() for line in lines if line.strip()]


def eocms_invocations(line: str) -> list[list[str]]:
    """The arguments of each ``eocms`` command a shell line runs."""
    try:
        words = shlex.split(line.replace("$(", "$( ").replace(")", " )"), comments=True)
    except ValueError:
        return []
    found = []
    for index, word in enumerate(words):
        if word != "eocms":
            continue
        before = words[index - 1] if index else None
        runs_it = (
            before is None
            or before in {"--", *SHELL_SEPARATORS}
            or before.endswith("$(")  # TOKEN=$(eocms token ...)
            or (index >= 2 and words[index - 2] == "exec")  # docker compose exec SERVICE eocms
        )
        if runs_it:
            arguments = []
            for argument in words[index + 1 :]:
                if argument in SHELL_SEPARATORS:
                    break
                arguments.append(argument)
            found.append(arguments)
    return found


INVOCATIONS = [args for line in code_lines() for args in eocms_invocations(line) if args]


def test_the_runbook_cites_the_commands_an_operator_needs() -> None:
    cited = {" ".join(args[:2]) for args in INVOCATIONS}
    needed = {"migrate SERVICE", "dlq show", "dlq replay", "projections rebuild", "contracts check"}
    assert needed <= cited
    assert any(args[0] == "token" for args in INVOCATIONS)


def resolve(arguments: list[str]) -> tuple[Any, list[str]]:
    """The command ``eocms ARGUMENTS`` runs and the arguments left for it."""
    command: Any = typer.main.get_command(app)
    remaining = list(arguments)
    while isinstance(command, TyperGroup) and remaining and not remaining[0].startswith("-"):
        name = remaining.pop(0)
        assert name in command.commands, f"`eocms {' '.join(arguments)}`: no command {name!r}"
        command = command.commands[name]
    group_options = bool(remaining) and remaining[0].startswith("-")  # eocms --version
    assert not isinstance(command, TyperGroup) or group_options, (
        f"`eocms {' '.join(arguments)}` is a group"
    )
    return command, remaining


@pytest.mark.parametrize("arguments", INVOCATIONS, ids=lambda args: " ".join(args)[:60])
def test_every_eocms_command_in_the_runbook_exists_with_its_options(arguments: list[str]) -> None:
    command, remaining = resolve(arguments)
    options = {name for param in command.params for name in param.opts}
    for word in remaining:
        if word.startswith("--"):
            assert word.split("=", 1)[0] in options, f"`eocms {' '.join(arguments)}`: {word}"


def test_a_command_that_does_not_exist_is_refused() -> None:
    with pytest.raises(AssertionError):
        resolve(["dlq", "purge", "--topic", "x"])


def test_the_deploy_files_it_names_exist() -> None:
    for line in code_lines():
        for word in line.split():
            path = word.strip("`'\",").split("=")[-1]
            if path.startswith("deploy/") and not path.endswith(".env"):
                assert (REPO_ROOT / path).exists(), path


def test_the_kubernetes_objects_it_names_exist_in_the_prod_overlay() -> None:
    resources = render(K8S_OVERLAYS["prod"])
    deployments = {d["metadata"]["name"] for d in of_kind(resources, "Deployment")}
    label_sets = [r["metadata"].get("labels", {}) for r in resources]
    for line in code_lines():
        if not line.startswith("kubectl"):
            continue
        for name in re.findall(r"deployment/([a-z0-9-]+)", line):
            assert name in deployments, name
        for key, value in re.findall(r"-l ([\w./-]+)=([\w.-]+)", line):
            assert any(labels.get(key) == value for labels in label_sets), f"{key}={value}"


METRIC = re.compile(r"\b((?:eocms|http)_[a-z_]+)\b")
EXPOSITION_SUFFIXES = ("_total", "_bucket", "_count", "_sum")
PARKED_EVENTS = "eocms_consumer_parked_events"
"""Added with parked-event handling in chassis.consumer; remove this exception once declared."""


def alert_rules() -> list[dict[str, Any]]:
    """The alerts of the rules file the runbook cites, recorded series spelled out."""
    text = RUNBOOK.read_text(encoding="utf-8")
    assert "deploy/monitoring/eocms-rules.yaml" in text
    rules_file = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    rules = [rule for group in rules_file["groups"] for rule in group["rules"]]
    recorded = {rule["record"]: rule["expr"] for rule in rules if "record" in rule}
    alerts = []
    for rule in rules:
        if "alert" in rule:
            expression = rule["expr"]
            for name, definition in recorded.items():
                expression = expression.replace(name, f"({definition})")
            alerts.append({**rule, "expr": expression})
    return alerts


def declared_in_code(metric: str) -> bool:
    """Whether the chassis declares ``metric`` (a counter is declared without ``_total``)."""
    names = {metric} | {metric.removesuffix(s) for s in EXPOSITION_SUFFIXES}
    sources = "\n".join(
        path.read_text(encoding="utf-8") for path in (REPO_ROOT / "chassis").rglob("*.py")
    )
    return any(f'"{name}"' in sources for name in names)


def test_the_alerts_are_prometheus_rules_on_metrics_the_services_export() -> None:
    rules = alert_rules()
    assert {"EocmsConsumerLagGrowing", "EocmsProjectionStale", "EocmsOutboxBacklog"} <= {
        rule["alert"] for rule in rules
    }
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}
        for metric in METRIC.findall(rule["expr"]):
            if metric == PARKED_EVENTS:  # the consumer's parked-events gauge, declared beside it
                continue
            assert declared_in_code(metric), f"{rule['alert']}: no metric {metric} in the code"
    assert not declared_in_code("eocms_made_up_metric")
