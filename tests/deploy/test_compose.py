"""deploy/compose.yaml: valid against the compose specification, and wired as intended.

Validated offline with check-jsonschema's vendored compose-spec schema
(``--builtin-schema vendor.compose-spec``). No Docker engine runs here, so the
stack is not started; the tests check the wiring instead: KRaft Kafka from the
official image, one database per service, migrations before services, topics
declared before anyone produces, secrets only from the operator's environment.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from services.reporting.adapters.facts_repository import read_sites_file
from tests.deploy.manifests import COMPOSE_FILE, DEPLOY, compose_env, load_compose
from tests.deploy.places import compose_placements
from tests.deploy.settings_env import deployed_services

REQUIRED_VARIABLE = re.compile(r"\$\{([A-Z0-9_]+):\?[^}]*\}")


def check_compose_schema(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_compose_file_matches_the_compose_specification() -> None:
    result = check_compose_schema(COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_an_unknown_service_key(tmp_path: Path) -> None:
    broken = load_compose()
    broken["services"]["intake"]["healthchek"] = broken["services"]["intake"].pop("healthcheck")
    path = tmp_path / "compose.yaml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert check_compose_schema(path).returncode != 0


def test_kafka_is_the_official_image_in_kraft_mode() -> None:
    services = load_compose()["services"]
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert set(kafka["environment"]["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "zookeeper" not in " ".join(services).lower()
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def test_each_service_has_its_own_database_migrated_before_it_starts() -> None:
    services = load_compose()["services"]
    postgres = services["postgres"]["environment"]
    # intake_keys: intake's key store, a database apart from intake's data.
    assert [s for s in postgres["EOCMS_SERVICES"].split() if s != "intake_keys"] == (
        deployed_services()
    )
    assert "INTAKE_KEYS_DB_PASSWORD" in postgres
    for placement in compose_placements():
        service = placement.service
        url = placement.env[f"{service.upper()}_DATABASE_URL"].value or ""
        assert url.startswith(f"postgresql+asyncpg://{service}:")
        assert url.endswith(f"@postgres:5432/{service}")
        assert f"{service.upper()}_DB_PASSWORD" in postgres
        migration = services[f"migrate-{service}"]
        assert migration["entrypoint"] + migration["command"] == ["eocms", "migrate", service]
        assert compose_env(migration)[f"{service.upper()}_DATABASE_URL"].value == url
        depends = services[service]["depends_on"]
        assert depends[f"migrate-{service}"]["condition"] == "service_completed_successfully"
        assert depends["kafka-init"]["condition"] == "service_completed_successfully"
        assert migration["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_event_topics_are_created_with_infinite_retention() -> None:
    init = load_compose()["services"]["kafka-init"]
    script = init["command"][0]
    assert 'for topic in $$EVENT_TOPICS; do create "$$topic" retention.ms=-1; done' in script
    assert "--if-not-exists" in script
    assert init["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_secrets_come_from_the_operators_environment_and_env_example_lists_them() -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    required = set(REQUIRED_VARIABLE.findall(text))
    assert {"POSTGRES_PASSWORD", "AUTH_HS256_SECRET", "INTAKE_PII_MASTER_KEY"} <= required
    example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    listed = {
        line.split("=", 1)[0] for line in example.splitlines() if re.match(r"^[A-Z0-9_]+=", line)
    }
    assert required <= listed
    assert all(
        line.endswith("=")
        for line in example.splitlines()
        if re.match(r"^[A-Z0-9_]*(PASSWORD|SECRET|KEY)=", line)
    )


def test_the_files_compose_mounts_exist() -> None:
    for spec in load_compose()["services"].values():
        for volume in spec.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (COMPOSE_FILE.parent / source).is_file(), source


def test_the_sites_reference_reporting_mounts_is_a_valid_sites_file() -> None:
    mounted = [
        volume.split(":")[0]
        for volume in load_compose()["services"]["reporting"]["volumes"]
        if volume.split(":")[1] == "/etc/eocms/sites.yaml"
    ]
    (source,) = mounted
    sites = read_sites_file(COMPOSE_FILE.parent / source)
    assert sites and len({site.site_id for site in sites}) == len(sites)


def test_browser_sign_in_is_development_only_and_off_unless_the_operator_opts_in() -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    services = yaml.safe_load(text)["services"]
    for name in ("reporting", "web"):
        assert services[name]["environment"]["EOCMS_DEV_MODE"] == "${EOCMS_DEV_MODE:-0}"
    for name in ("intake", "caseload", "programs"):
        assert "EOCMS_DEV_MODE" not in services[name]["environment"]
    example = (DEPLOY / "env.example").read_text(encoding="utf-8")
    assert "# EOCMS_DEV_MODE=1" in example  # listed, commented out: off by default
