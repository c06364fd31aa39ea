"""One version policy: the stack compose runs, `.env.example` and the client pin agree, and
the client's major.minor never exceeds the stack's (Elastic's compatibility rule: a client
talks to servers of its major and of its minor or newer)."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version as installed_version
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from tests.es_double.routes import Routes

ROOT = Path(__file__).resolve().parent.parent
_DEFAULT = re.compile(r"\$\{STACK_VERSION:-([0-9][0-9.]*)\}")
STACK_IMAGES = ("certs", "es01", "kibana")


def stack_versions(compose_text: str) -> dict[str, str]:
    """The STACK_VERSION default of each Elastic image in the compose file."""
    services = yaml.safe_load(compose_text)["services"]
    found = {}
    for name in STACK_IMAGES:
        match = _DEFAULT.search(services[name]["image"])
        found[name] = match.group(1) if match else "<no STACK_VERSION default>"
    return found


def env_stack_version(env_text: str) -> str | None:
    match = re.search(r"^STACK_VERSION=(\S+)$", env_text, re.MULTILINE)
    return match.group(1) if match else None


def client_requirement(pyproject_text: str) -> str:
    dependencies = tomllib.loads(pyproject_text)["project"]["dependencies"]
    [pin] = [d for d in dependencies if re.match(r"elasticsearch\b", d)]
    return pin


def client_pin(pyproject_text: str) -> SpecifierSet:
    return SpecifierSet(client_requirement(pyproject_text).removeprefix("elasticsearch"))


def version_problems(compose_text: str, env_text: str, pyproject_text: str,
                     client: str) -> list[str]:
    """Everything that breaks the policy, in words (empty when all agree)."""
    problems = []
    images = stack_versions(compose_text)
    stack = images["es01"]
    if len(set(images.values())) != 1:
        problems.append(f"compose images disagree: {images}")
    if env_stack_version(env_text) != stack:
        problems.append(f".env.example STACK_VERSION={env_stack_version(env_text)} but compose "
                        f"defaults to {stack}")
    stack_version, pin = Version(stack), client_pin(pyproject_text)
    next_minor = Version(f"{stack_version.major}.{stack_version.minor + 1}")
    same_minor = Version(f"{stack_version.major}.{stack_version.minor}")
    if next_minor in pin or not any(v in pin for v in (same_minor, stack_version)):
        problems.append(f"pyproject pins elasticsearch{pin}: it must allow "
                        f"{stack_version.major}.{stack_version.minor}.x and nothing from "
                        f"{next_minor} on")
    if Version(client).release[:2] > stack_version.release[:2]:
        problems.append(f"installed client {client} is newer than the stack {stack}")
    elif Version(client) not in pin:
        problems.append(f"installed client {client} is outside the pin elasticsearch{pin}: "
                        "reinstall (make .venv/.installed)")
    return problems


def real_files() -> tuple[str, str, str]:
    return ((ROOT / "docker-compose.yml").read_text(), (ROOT / ".env.example").read_text(),
            (ROOT / "pyproject.toml").read_text())


def test_compose_env_example_pin_and_client_agree() -> None:
    assert version_problems(*real_files(), installed_version("elasticsearch")) == []


def test_the_double_knows_the_rest_api_of_the_stack_compose_runs() -> None:
    compose, _, _ = real_files()
    assert Routes(stack_versions(compose)["es01"]).routes


STACK = Version(stack_versions(real_files()[0])["es01"])
OLDER = f"{STACK.major}.{STACK.minor - 1}.0"
PIN = f'"{client_requirement(real_files()[2])}"'


@pytest.mark.parametrize(("where", "new", "complaint"), [
    ("compose", f"elasticsearch:${{STACK_VERSION:-{OLDER}}}", "compose images disagree"),
    ("env", f"STACK_VERSION={OLDER}", f".env.example STACK_VERSION={OLDER}"),
    ("pyproject", f'"elasticsearch>={STACK.major},<{STACK.major + 1}"',
     f"nothing from {STACK.major}.{STACK.minor + 1} on"),
    ("pyproject", f'"elasticsearch>={STACK.major}.0,<{STACK.major}.{STACK.minor}"',
     f"it must allow {STACK.major}.{STACK.minor}.x"),
])
def test_drift_between_the_three_is_reported(where: str, new: str, complaint: str) -> None:
    compose, env, pyproject = real_files()
    texts = {"compose": compose, "env": env, "pyproject": pyproject}
    old = {"compose": f"elasticsearch:${{STACK_VERSION:-{STACK}}}",
           "env": f"STACK_VERSION={STACK}", "pyproject": PIN}[where]
    assert old in texts[where]
    texts[where] = texts[where].replace(old, new, 1)
    problems = version_problems(texts["compose"], texts["env"], texts["pyproject"],
                                f"{STACK.major}.{STACK.minor}.0")
    assert any(complaint in p for p in problems), problems


def test_a_client_newer_than_the_stack_is_reported() -> None:
    problems = version_problems(*real_files(), f"{STACK.major}.{STACK.minor + 1}.0")
    assert any("newer than the stack" in p for p in problems)


def test_a_client_outside_the_pin_is_reported() -> None:
    problems = version_problems(*real_files(), f"{STACK.major}.{STACK.minor - 1}.0")
    assert any("outside the pin" in p for p in problems)
