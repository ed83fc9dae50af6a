"""The Dockerfile, checked statically: no Docker engine is available here to build it.

Parsed, not built: the final stage runs as a non-root user, has a HEALTHCHECK
on a path the services serve, and its entry point is ``eocms serve`` with a
service of the catalogue; it installs the project from the pinned
``pyproject.toml`` without dev extras; every file it COPYs exists and passes
``.dockerignore``; every package and data file the project ships is copied.
"""

from __future__ import annotations

import fnmatch
import tomllib

import pytest

from eocms.catalogue import SERVICES
from tests.deploy.dockerfile import Stage, read_dockerfile
from tests.deploy.manifests import REPO_ROOT

DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"
PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stages() -> list[Stage]:
    return read_dockerfile(DOCKERFILE)


@pytest.fixture(scope="module")
def runtime(stages: list[Stage]) -> Stage:
    return stages[-1]


def test_the_image_runs_as_an_unprivileged_user(runtime: Stage) -> None:
    user = runtime.last("USER").arguments.split(":")[0]
    assert user not in {"root", "0"}
    assert int(user) >= 1000
    assert f"--uid {user}" in " ".join(i.arguments for i in runtime.all("RUN"))


def test_the_entry_point_serves_a_catalogue_service_on_the_exposed_port(runtime: Stage) -> None:
    assert runtime.last("ENTRYPOINT").exec_form() == ["eocms", "serve"]
    command = runtime.last("CMD").exec_form()
    assert command[0] in SERVICES
    exposed = runtime.last("EXPOSE").arguments
    assert command[command.index("--port") + 1] == exposed
    assert PYPROJECT["project"]["scripts"]["eocms"] == "eocms.cli:main"


def test_the_health_check_asks_the_exposed_port_for_liveness(runtime: Stage) -> None:
    check = " ".join(runtime.last("HEALTHCHECK").exec_form())
    exposed = runtime.last("EXPOSE").arguments
    assert f"http://127.0.0.1:{exposed}/health/live" in check


def copy_sources(stage: Stage) -> list[str]:
    sources = []
    for instruction in stage.all("COPY"):
        words = [w for w in instruction.words() if not w.startswith("--")]
        if any(w.startswith("--from") for w in instruction.words()):
            continue
        sources.extend(words[:-1])
    return sources


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether .dockerignore leaves ``path`` out of the build context (last match wins)."""
    result = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        bare = pattern.lstrip("!").rstrip("/")
        if fnmatch.fnmatch(path.rstrip("/"), bare):
            result = not negated
    return result


def test_every_copied_file_exists_and_is_in_the_build_context(stages: list[Stage]) -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    sources = [s for stage in stages for s in copy_sources(stage)]
    assert sources
    for source in sources:
        assert (REPO_ROOT / source).exists(), source
        assert not ignored(source, patterns), f"{source} is excluded by .dockerignore"


def test_it_installs_the_project_from_the_pinned_pyproject(stages: list[Stage]) -> None:
    build = stages[0]
    assert "pyproject.toml" in copy_sources(build)
    installs = [i.arguments for i in build.all("RUN") if "pip install" in i.arguments]
    assert any(" /src" in text for text in installs), "installs the copied project"
    assert not any("-e " in text or "[dev]" in text for text in installs)
    dependencies = PYPROJECT["project"]["dependencies"]
    assert all("==" in requirement for requirement in dependencies), "every pin is exact"


def test_every_package_and_data_file_the_project_ships_is_copied(stages: list[Stage]) -> None:
    copied = {source.rstrip("/") for source in copy_sources(stages[0])}
    packages = [
        p.rstrip("*") for p in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    ]
    assert set(packages) <= copied
    package_data = PYPROJECT["tool"]["setuptools"]["package-data"]
    for package in packages:
        for path in (REPO_ROOT / package).rglob("*"):
            if (
                path.is_dir()
                or path.suffix in {".py", ".pyc", ".md"}
                or "__pycache__" in path.parts
            ):
                continue
            top = path.relative_to(REPO_ROOT).parts[0]
            inside = path.relative_to(REPO_ROOT / top).as_posix()
            assert any(fnmatch.fnmatch(inside, pattern) for pattern in package_data.get(top, [])), (
                f"{path.relative_to(REPO_ROOT)} is not in package-data: the image would lack it"
            )


def test_the_build_context_leaves_out_the_venv_tests_and_local_data() -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in (".venv", "tests", ".git", ".eocms-data", "deploy", "benchmarks"):
        assert ignored(path, patterns), path
