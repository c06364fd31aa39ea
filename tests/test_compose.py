"""docker-compose.yml, the Dockerfile, .env.example and `make airflow`, checked without Docker.

No Docker engine runs here, so the compose file is interpolated the way Compose does it
(with the values of .env.example), parsed by the `compose_spec` parser (strict: unknown
keys and malformed values are errors; references to secrets, volumes and networks are
checked) and by the Compose Specification's models, and then held to the deployment's
rules: healthchecks or completion conditions, loopback ports, secrets only as Compose
secrets, non-root application containers, every variable documented.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
PROJECT_IMAGE = "pressarchive:local"
ONE_SHOT = "no"
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $VAR; $$ escapes.
VARIABLE = re.compile(r"\$(?:\$|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?])?"
                      r"(?P<arg>[^}]*)\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")
SECRET_KEY = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|FERNET|ENCRYPTIONKEY", re.IGNORECASE)


# --- helpers ------------------------------------------------------------------------------


def env_example() -> tuple[dict[str, str], set[str], set[str]]:
    """Values; the variables documented (a comment in their paragraph); the secrets (a
    "# Secret:" comment right above them)."""
    values: dict[str, str] = {}
    documented: set[str] = set()
    secrets: set[str] = set()
    paragraph: list[str] = []  # comments since the last blank line
    above: list[str] = []  # comments since the last variable
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.startswith("#"):
            paragraph.append(line)
            above.append(line)
            continue
        if not line.strip():
            paragraph, above = [], []
            continue
        name, _, value = line.partition("=")
        values[name] = value
        if paragraph:
            documented.add(name)
        if any(c.startswith("# Secret:") for c in above):
            secrets.add(name)
        above = []
    return values, documented, secrets


def interpolate(node: Any, env: dict[str, str], used: set[str]) -> Any:
    """Compose's interpolation over every string of the loaded file."""
    if isinstance(node, dict):
        return {k: interpolate(v, env, used) for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate(v, env, used) for v in node]
    if not isinstance(node, str):
        return node

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("bare")
        used.add(name)
        value, op, arg = env.get(name), match.group("op"), match.group("arg")
        if op in (":-", "-"):
            return value if value or (op == "-" and value is not None) else arg
        if op in (":?", "?") and not value:
            raise AssertionError(f"${{{name}}} is required: {arg}")
        return value or ""

    return VARIABLE.sub(substitute, node)


def load_compose(env: dict[str, str] | None = None) -> tuple[dict[str, Any], set[str]]:
    values, _, _ = env_example()
    filled = {k: v or "x" * 24 for k, v in values.items()} | (env or {})
    used: set[str] = set()
    raw = yaml.safe_load(COMPOSE.read_text())  # the safe loader applies `<<` merge keys
    return interpolate(raw, filled, used), used


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()[0]


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def one_shots(services: dict[str, dict[str, Any]]) -> set[str]:
    return {name for name, spec in services.items() if spec.get("restart") == ONE_SHOT}


def dependencies(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    depends = spec.get("depends_on", {})
    if isinstance(depends, list):
        return {name: {"condition": "service_started"} for name in depends}
    return depends


def environment(spec: dict[str, Any]) -> dict[str, str]:
    env = spec.get("environment", {})
    if isinstance(env, list):
        return dict(item.partition("=")[::2] for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


# --- the Compose specification ------------------------------------------------------------


def test_compose_file_is_a_valid_compose_specification(compose: dict[str, Any]) -> None:
    from compose_spec import PyCompose
    from compose_spec.models import ComposeSpecification

    parsed = PyCompose.from_yaml(yaml.safe_dump(compose))  # raises ValueError when invalid
    parsed.validate()  # every secret, volume and network a service names is defined
    ComposeSpecification.model_validate(compose)
    assert set(parsed.service_names()) == set(compose["services"])


def test_the_parser_would_catch_a_mistake(compose: dict[str, Any]) -> None:
    from compose_spec import PyCompose

    broken = yaml.safe_load(yaml.safe_dump(compose))
    broken["services"]["es01"]["helthcheck"] = broken["services"]["es01"].pop("healthcheck")
    with pytest.raises(ValueError, match="helthcheck"):
        PyCompose.from_yaml(yaml.safe_dump(broken))
    broken = yaml.safe_load(yaml.safe_dump(compose))
    broken["services"]["es01"]["secrets"].append("nowhere")
    with pytest.raises(ValueError, match="nowhere"):
        PyCompose.from_yaml(yaml.safe_dump(broken)).validate()


def test_the_stack_has_its_services(services: dict[str, dict[str, Any]]) -> None:
    assert {"certs", "es01", "kibana", "setup", "postgres", "airflow-init",
            "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
            "airflow-triggerer", "redis", "airflow-worker"} == set(services)
    commands = {name: spec.get("command") for name, spec in services.items()}
    assert commands["airflow-apiserver"] == "api-server"
    assert commands["airflow-scheduler"] == "scheduler"
    assert commands["airflow-dag-processor"] == "dag-processor"
    assert commands["airflow-triggerer"] == "triggerer"
    assert commands["airflow-worker"] == "celery worker"
    assert "archive.search.es_setup" in commands["setup"]


def test_every_service_has_an_image_or_a_build(services: dict[str, dict[str, Any]]) -> None:
    for name, spec in services.items():
        assert spec.get("image") or spec.get("build"), name


def test_long_running_services_have_healthchecks(services: dict[str, dict[str, Any]]) -> None:
    for name, spec in services.items():
        if name in one_shots(services):
            assert "healthcheck" not in spec, name
            continue
        assert spec.get("restart") == "unless-stopped", name
        check = spec.get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name


def test_one_shots_are_awaited_to_completion(services: dict[str, dict[str, Any]]) -> None:
    awaited = {target for spec in services.values()
               for target, dep in dependencies(spec).items()
               if dep["condition"] == "service_completed_successfully"}
    assert one_shots(services) == {"certs", "setup", "airflow-init"}
    assert awaited == one_shots(services)


def test_depends_on_targets_exist_and_conditions_fit(
        services: dict[str, dict[str, Any]]) -> None:
    for name, spec in services.items():
        for target, dep in dependencies(spec).items():
            assert target in services, f"{name} depends on unknown {target}"
            if dep["condition"] == "service_healthy":
                assert "healthcheck" in services[target], f"{name} -> {target}"
            if dep["condition"] == "service_completed_successfully":
                assert target in one_shots(services), f"{name} -> {target}"
            if services[target].get("profiles") and not spec.get("profiles"):
                assert dep.get("required") is False, (
                    f"{name} (no profile) requires {target}, which only a profile starts")


def test_dependencies_have_no_cycle(services: dict[str, dict[str, Any]]) -> None:
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path, name))
        if name not in done:
            for target in dependencies(services[name]):
                visit(target, (*path, name))
            done.add(name)

    for name in services:
        visit(name, ())


def test_start_order_of_the_stack(services: dict[str, dict[str, Any]]) -> None:
    assert dependencies(services["es01"])["certs"]["condition"] == (
        "service_completed_successfully")
    assert dependencies(services["setup"])["es01"]["condition"] == "service_healthy"
    for name in ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                 "airflow-triggerer", "airflow-worker"):
        depends = dependencies(services[name])
        assert depends["airflow-init"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"
    for runner in ("airflow-scheduler", "airflow-worker"):
        assert dependencies(services[runner])["setup"]["condition"] == (
            "service_completed_successfully")


# --- security -----------------------------------------------------------------------------


def test_published_ports_are_bound_to_loopback(services: dict[str, dict[str, Any]]) -> None:
    published = {name: spec["ports"] for name, spec in services.items() if spec.get("ports")}
    assert set(published) == {"es01", "kibana", "airflow-apiserver"}
    for name, ports in published.items():
        for port in ports:
            assert isinstance(port, str) and port.startswith("127.0.0.1:"), (name, port)


def test_secrets_come_from_env_through_compose_secrets(compose: dict[str, Any]) -> None:
    _, _, secret_vars = env_example()
    sources = {spec["environment"] for spec in compose["secrets"].values()}
    assert sources == secret_vars
    _, used = load_compose()
    assert not used & secret_vars, "a secret is interpolated into the file"


def test_no_secret_value_in_any_environment(services: dict[str, dict[str, Any]]) -> None:
    for name, spec in services.items():
        for key, value in environment(spec).items():
            if not SECRET_KEY.search(key):
                continue
            assert key.endswith(("_FILE", "_CMD")), f"{name}: {key} holds a secret value"
            assert "/run/secrets/" in value or "secret_url.py" in value, f"{name}: {key}"


def test_secrets_reach_programs_only_through_with_secrets(compose: dict[str, Any]) -> None:
    defined = set(compose["secrets"])
    for name, spec in compose["services"].items():
        command = spec.get("command")
        if not isinstance(command, list) or not any("with-secrets" in c for c in command):
            continue
        mapping = command[command.index(next(c for c in command if "with-secrets" in c)) + 1:
                          command.index("--")]
        for item in mapping:
            variable, _, secret = item.partition("=")
            assert variable.isupper() and secret in defined, (name, item)
            assert secret in spec["secrets"], (name, secret)
    text = COMPOSE.read_text()
    assert "airflow:airflow" not in text and "changeme" not in text.lower()


def test_application_containers_run_as_non_root(services: dict[str, dict[str, Any]]) -> None:
    project = {name for name, spec in services.items() if spec.get("image") == PROJECT_IMAGE}
    assert project == {"setup", "airflow-init", "airflow-apiserver", "airflow-scheduler",
                       "airflow-dag-processor", "airflow-triggerer", "airflow-worker"}
    for name in project:
        uid, _, gid = services[name]["user"].partition(":")
        assert uid == "50000" and gid == "0", name
    root = {name for name, spec in services.items() if str(spec.get("user", "")) in ("0", "root")
            or str(spec.get("user", "")).startswith(("0:", "root:"))}
    assert root == {"certs"}


def test_non_root_uid_comes_from_airflow_uid() -> None:
    compose, _ = load_compose({"AIRFLOW_UID": "1234"})
    assert compose["services"]["airflow-scheduler"]["user"] == "1234:0"


def test_elasticsearch_has_security_and_tls_on(services: dict[str, dict[str, Any]]) -> None:
    es = environment(services["es01"])
    assert es["xpack.security.enabled"] == "true"
    assert es["xpack.security.http.ssl.enabled"] == "true"
    assert es["xpack.security.transport.ssl.enabled"] == "true"
    assert es["ELASTIC_PASSWORD_FILE"] == "/run/secrets/elastic_password"
    assert services["es01"]["image"].startswith("docker.elastic.co/elasticsearch/"
                                                "elasticsearch:9.")
    kibana = environment(services["kibana"])
    assert kibana["ELASTICSEARCH_HOSTS"].startswith("https://")
    assert kibana["ELASTICSEARCH_USERNAME"] == "kibana_system"


def test_airflow_is_configured_for_a_shared_deployment(
        services: dict[str, dict[str, Any]]) -> None:
    env = environment(services["airflow-scheduler"])
    assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false"
    for key in ("AIRFLOW__CORE__FERNET_KEY_CMD", "AIRFLOW__API__SECRET_KEY_CMD",
                "AIRFLOW__API_AUTH__JWT_SECRET_CMD", "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD"):
        assert key in env
    assert "postgres:5432/airflow" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD"]
    assert env["PRESSARCHIVE_DATA"] == "/data"
    volumes = services["airflow-scheduler"]["volumes"]
    assert "pressarchive-data:/data" in volumes
    assert "./sites:/opt/pressarchive/sites:ro" in volumes
    assert "pressarchive_writer_password" in services["airflow-scheduler"]["secrets"]
    assert "pressarchive_writer_password" not in services["airflow-apiserver"]["secrets"]


def test_the_elasticsearch_connection_names_no_secret(
        services: dict[str, dict[str, Any]]) -> None:
    import json

    conn = json.loads(environment(services["airflow-scheduler"])[
        "AIRFLOW_CONN_PRESSARCHIVE_ELASTICSEARCH"])
    assert "password" not in conn
    assert conn["login"] == "pressarchive_writer"
    assert conn["extra"]["password_file"] == "/run/secrets/pressarchive_writer_password"
    assert conn["extra"]["ca_certs"] == "/certs/ca.crt"
    assert conn["schema"] == "https"


def test_setup_service_uses_the_names_es_setup_reads(
        services: dict[str, dict[str, Any]]) -> None:
    source = (ROOT / "archive" / "search" / "es_setup.py").read_text()
    command = services["setup"]["command"]
    exported = {arg.partition("=")[0] for arg in command[:command.index("--")] if "=" in arg}
    for name in exported | set(environment(services["setup"])) - {"CONNECTION_CHECK_MAX_COUNT"}:
        assert name in source, f"es_setup.py does not read {name}"
    assert '"pressarchive_writer"' in source  # the login of the Airflow connection


def test_celery_profile_adds_redis_and_workers(services: dict[str, dict[str, Any]]) -> None:
    assert services["redis"]["profiles"] == ["celery"]
    assert services["airflow-worker"]["profiles"] == ["celery"]
    unprofiled = {n for n, s in services.items() if not s.get("profiles")}
    assert {"redis", "airflow-worker"}.isdisjoint(unprofiled)
    celery, _ = load_compose({"AIRFLOW_EXECUTOR": "CeleryExecutor"})
    for name in ("airflow-scheduler", "airflow-worker", "airflow-apiserver"):
        env = environment(celery["services"][name])
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert "redis:6379" in env["AIRFLOW__CELERY__BROKER_URL_CMD"]


# --- .env.example -------------------------------------------------------------------------


def test_every_variable_is_documented_in_env_example() -> None:
    values, documented, _ = env_example()
    compose, used = load_compose()
    secret_sources = {spec["environment"] for spec in compose["secrets"].values()}
    needed = used | secret_sources
    assert needed <= set(values), f"undocumented: {sorted(needed - set(values))}"
    assert set(values) <= documented, f"no comment: {sorted(set(values) - documented)}"
    compose_cli = {"COMPOSE_PROFILES"}
    assert set(values) - compose_cli <= needed, f"unused: {sorted(set(values) - needed)}"


def test_env_example_holds_no_secret_value() -> None:
    values, _, secrets = env_example()
    assert secrets and all(values[name] == "" for name in secrets)
    assert values["AIRFLOW_ADMIN_USER"] not in ("", "airflow", "admin")


def test_new_env_script_fills_every_secret(tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    script = ROOT / "infra" / "compose" / "new-env.sh"
    first = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=True)
    second = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=True)
    values, _, secrets = env_example()
    generated = dict(line.partition("=")[::2] for line in first.stdout.splitlines()
                     if line and not line.startswith("#"))
    assert set(generated) == set(values)
    for name in secrets:
        assert len(generated[name]) >= 32, name
        assert re.fullmatch(r"[A-Za-z0-9_=-]+", generated[name]), name
    assert len({generated[name] for name in secrets}) == len(secrets)
    Fernet(generated["AIRFLOW_FERNET_KEY"].encode())
    assert first.stdout != second.stdout
    assert {k: v for k, v in generated.items() if k not in secrets} == {
        k: v for k, v in values.items() if k not in secrets}


# --- scripts, image, make -----------------------------------------------------------------


@pytest.mark.parametrize("script", ["infra/compose/certs.sh", "infra/compose/with-secrets.sh",
                                    "infra/compose/new-env.sh", "infra/airflow/init.sh"])
def test_shell_scripts_parse(script: str) -> None:
    subprocess.run(["bash", "-n", str(ROOT / script)], check=True)


def test_with_secrets_exports_only_to_the_command(tmp_path: Path) -> None:
    (tmp_path / "db_password").write_text("s3cret")
    script = str(ROOT / "infra" / "compose" / "with-secrets.sh")
    env = {**os.environ, "SECRETS_DIR": str(tmp_path)}
    shown = subprocess.run(["bash", script, "DB_PASSWORD=db_password", "--", "sh", "-c",
                            'echo "$DB_PASSWORD"'], env=env, capture_output=True, text=True,
                           check=True)
    assert shown.stdout == "s3cret\n"
    (tmp_path / "empty").write_text("")
    missing = subprocess.run(["bash", script, "X=empty", "--", "true"], env=env,
                             capture_output=True, text=True)
    assert missing.returncode == 64
    assert "empty" in missing.stderr and "s3cret" not in missing.stderr


def test_secret_url_quotes_the_password(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "secret_url", ROOT / "infra" / "airflow" / "secret_url.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "postgres_password").write_text("p@ss/w:rd\n")
    url = module.secret_url("postgresql+psycopg2", "airflow", "postgres_password",
                            "postgres:5432/airflow", secrets=tmp_path)
    assert url == "postgresql+psycopg2://airflow:p%40ss%2Fw%3Ard@postgres:5432/airflow"


def test_airflow_init_migrates_creates_the_admin_and_the_pool() -> None:
    script = (ROOT / "infra" / "airflow" / "init.sh").read_text()
    assert "airflow db migrate" in script
    assert "airflow users create --role Admin" in script
    assert 'airflow pools set pressarchive_crawl "${PRESSARCHIVE_CRAWL_SLOTS:-2}"' in script
    assert '"${admin}" == "airflow"' in script  # the default login is refused


def test_dockerfile_builds_a_non_root_airflow_image_with_the_package() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert "ARG AIRFLOW_VERSION=3.3.2" in lines and "ARG PYTHON_VERSION=3.11" in lines
    assert "FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}" in lines
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users[-1] == "airflow"
    run = " ".join(lines)
    assert "pip install --no-cache-dir --no-deps -e ." in run
    assert '"apache-airflow==${AIRFLOW_VERSION}"' in run
    assert "AIRFLOW__CORE__DAGS_FOLDER=/opt/pressarchive/dags" in run
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env*", ".venv", ".git", "data", ".airflow"):
        assert entry in ignored


def test_make_airflow_runs_the_script_that_test_make_airflow_starts() -> None:
    dry = subprocess.run(["make", "--no-print-directory", "-n", "airflow"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert dry.strip().splitlines()[-1] == ".venv/bin/python infra/airflow/local.py"
