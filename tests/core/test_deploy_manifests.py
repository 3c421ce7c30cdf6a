"""The Kubernetes manifests (deploy/k8s/) parse, run the image the Dockerfile builds, read
only settings that exist, and probe a URL that exists (issue 23)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
# Read by the process, not by config/settings.py.
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE"}


def documents() -> list[dict]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def pod_specs(docs):
    for doc in docs:
        if doc["kind"] in {"Deployment", "Job"}:
            yield doc["metadata"]["name"], doc["spec"]["template"]["spec"]


def app_containers(docs):
    for name, spec in pod_specs(docs):
        for container in spec["containers"]:
            if not container["image"].startswith("docker.io/"):  # PgBouncer's own image
                yield name, container


def known_env_names() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text() + (
        ROOT / "config" / "gunicorn.py").read_text()
    return set(re.findall(r"""["']([A-Z][A-Z0-9_]+)["']""", source))


def test_every_manifest_parses_and_the_kustomization_lists_them():
    docs = documents()
    kinds = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for expected in [("Deployment", "web"), ("Deployment", "worker"), ("Deployment", "beat"),
                     ("Job", "contact-handling-migrate"), ("Deployment", "pgbouncer")]:
        assert expected in kinds
    listed = set(yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml",
                                                       "secret.example.yaml"}
    assert listed == on_disk


def test_image_is_the_one_docker_compose_builds_from_the_dockerfile():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    app = compose["x-app"]
    assert app["build"] == "."
    assert (ROOT / "Dockerfile").exists()
    image_name = app["image"].split(":")[0]
    images = {c["image"].split(":")[0] for _, c in app_containers(documents())}
    assert images == {image_name}


def test_commands_match_the_image():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = yaml.safe_load(re.search(r"^CMD (.*)$", dockerfile, re.M).group(1))
    containers = dict(app_containers(documents()))
    assert containers["web"]["command"][:4] == cmd[:4]  # gunicorn, wsgi, --config, file
    assert (ROOT / containers["web"]["command"][3]).exists()
    assert containers["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert containers["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert "migrate" in " ".join(containers["contact-handling-migrate"]["command"])


def test_every_environment_variable_is_one_the_settings_read():
    docs = documents()
    known = known_env_names()
    referenced = set()
    for doc in docs:
        if doc["kind"] == "ConfigMap" and doc["metadata"]["name"] == "contact-handling":
            referenced |= set(doc["data"])
        if doc["kind"] == "Secret" and doc["metadata"]["name"].startswith("contact-handling"):
            referenced |= set(doc["stringData"])
        for _, container in app_containers([doc]):
            referenced |= {e["name"] for e in container.get("env", [])}
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"} <= referenced
    assert referenced - known - NOT_SETTINGS == set()


def test_env_from_references_exist():
    docs = documents()
    named = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for _, container in app_containers(docs):
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                assert ("ConfigMap", source["configMapRef"]["name"]) in named
            else:
                assert ("Secret", source["secretRef"]["name"]) in named


@pytest.mark.parametrize("probe", ["readinessProbe", "livenessProbe"])
def test_web_probes_point_at_a_url_that_exists(probe):
    web = dict(app_containers(documents()))["web"]
    path = web[probe]["httpGet"]["path"]
    assert resolve(path).url_name == "healthz"
    port = web[probe]["httpGet"]["port"]
    assert port in {p["name"] for p in web["ports"]}


def test_beat_is_one_replica_never_two_during_a_rollout():
    beat = next(d for d in documents() if d["metadata"]["name"] == "beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"


def test_app_pods_connect_through_pgbouncer_and_migrations_do_not():
    docs = documents()
    secret = next(d for d in docs if d["kind"] == "Secret"
                  and d["metadata"]["name"] == "contact-handling")
    assert "@pgbouncer:6432/" in secret["stringData"]["DATABASE_URL"]
    job = dict(app_containers(docs))["contact-handling-migrate"]
    override = {e["name"]: e for e in job["env"]}["DATABASE_URL"]
    assert override["valueFrom"]["secretKeyRef"]["name"] == "contact-handling-migrate"


# docker-compose.yml (issue 23): the same checks where cheap, and the optional PgBouncer.


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def compose_app_services(doc) -> dict[str, dict]:
    return {name: service for name, service in doc["services"].items()
            if service.get("image") == doc["x-app"]["image"]}


def test_compose_app_services_set_only_settings_that_exist():
    doc = compose()
    services = compose_app_services(doc)
    assert {"web", "worker", "beat", "migrate"} <= set(services)
    known = known_env_names()
    for name, service in services.items():
        unknown = set(service["environment"]) - known - NOT_SETTINGS
        assert not unknown, f"{name} sets {unknown}, which config/settings.py never reads"


def test_compose_worker_serves_its_metrics_and_every_app_service_has_the_token():
    services = compose_app_services(compose())
    assert services["worker"]["environment"]["CELERY_METRICS_PORT"] == "9100"
    for name in ("web", "worker", "beat"):
        assert "METRICS_TOKEN" in services[name]["environment"]
    assert "CELERY_METRICS_PORT" not in services["web"]["environment"]


def test_compose_pgbouncer_is_optional_and_pools_transactions():
    doc = compose()
    bouncer = doc["services"]["pgbouncer"]
    assert bouncer["profiles"] == ["pgbouncer"]
    source, target = bouncer["volumes"][0].split(":")[:2]
    ini = (ROOT / source).read_text()
    assert target in " ".join(bouncer["entrypoint"])
    assert re.search(r"^pool_mode = transaction$", ini, re.M)
    assert re.search(r"^listen_port = 6432$", ini, re.M)
    assert re.search(r"^contact = host=db port=5432 dbname=contact$", ini, re.M)
    auth_file = re.search(r"^auth_file = (\S+)$", ini, re.M).group(1)
    assert auth_file in " ".join(bouncer["entrypoint"])  # written at start from APP_PASSWORD
    for name in ("web", "worker", "beat"):
        needs = doc["services"][name]["depends_on"]
        assert needs["pgbouncer"]["required"] is False  # no PgBouncer without the profile
    app_env = doc["x-app"]["environment"]
    assert "${APP_DB_HOST:-db}:${APP_DB_PORT:-5432}" in app_env["DATABASE_URL"]
    assert app_env["DISABLE_SERVER_SIDE_CURSORS"] == "${DISABLE_SERVER_SIDE_CURSORS:-false}"
    # Migrations go straight to PostgreSQL as the owner, never through the pool.
    assert "@db:5432/" in doc["services"]["migrate"]["environment"]["DATABASE_URL"]


@pytest.mark.parametrize(("value", "expected"), [("true", "True"), (None, "False")])
def test_disable_server_side_cursors_reaches_the_database_settings(value, expected):
    env = {k: v for k, v in os.environ.items() if k != "DISABLE_SERVER_SIDE_CURSORS"}
    if value:
        env["DISABLE_SERVER_SIDE_CURSORS"] = value
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip().splitlines()[-1] == expected


def test_the_pods_own_address_is_an_allowed_host_for_probes_and_scrapes():
    """The kubelet probes /healthz and Prometheus scrapes /metrics at the pod's IP, which is
    the Host they send: without it Django answers 400 (DisallowedHost)."""
    web = dict(app_containers(documents()))["web"]
    pod_ip = {e["name"]: e for e in web["env"]}["POD_IP"]
    assert pod_ip["valueFrom"]["fieldRef"]["fieldPath"] == "status.podIP"
    env = {**os.environ, "DJANGO_ENV": "production", "SECRET_KEY": "k",
           "ALLOWED_HOSTS": "contact-handling.example.org", "POD_IP": "10.1.2.3"}
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(','.join(settings.ALLOWED_HOSTS))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip().splitlines()[-1] == "contact-handling.example.org,10.1.2.3"


# What `docker compose config` checks, without Docker Compose v2 on the machine: the file
# against the Compose Specification's own JSON schema (tests/core/data/compose-spec.json,
# compose-spec/compose-spec at 170098b, Apache-2.0), then the references between its parts.
COMPOSE_SCHEMA = Path(__file__).parent / "data" / "compose-spec.json"


def compose_problems(doc) -> list[str]:
    import json

    import jsonschema

    schema = json.loads(COMPOSE_SCHEMA.read_text())
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
                for e in jsonschema.Draft7Validator(schema).iter_errors(doc)]
    services = doc.get("services", {})
    volumes = set(doc.get("volumes") or {})
    networks = set(doc.get("networks") or {}) | {"default"}
    for name, service in services.items():
        needs = service.get("depends_on") or {}
        for other in (needs if isinstance(needs, (dict, list)) else []):
            if other not in services:
                problems.append(f"{name} depends on {other}, which is not a service")
        for mount in service.get("volumes") or []:
            source = mount.split(":")[0] if isinstance(mount, str) else mount.get("source", "")
            if source and not source.startswith((".", "/", "~")) and source not in volumes:
                problems.append(f"{name} mounts volume {source}, which is not declared")
        for network in service.get("networks") or []:
            if network not in networks:
                problems.append(f"{name} joins network {network}, which is not declared")
    return problems


def test_compose_file_is_valid_by_the_compose_specification():
    assert compose_problems(compose()) == []


@pytest.mark.parametrize("spoil", [
    lambda doc: doc["services"]["web"]["depends_on"].update(cache={"condition": "service_healthy"}),
    lambda doc: doc["services"]["web"].update(restart_policy="always"),
    lambda doc: doc["services"]["db"]["volumes"].append("lost:/var/lib/other"),
    lambda doc: doc["services"]["web"]["depends_on"]["migrate"].update(condition="when_ready"),
], ids=["unknown service", "unknown key", "undeclared volume", "unknown condition"])
def test_compose_check_finds_what_docker_compose_config_would_refuse(spoil):
    doc = compose()
    spoil(doc)
    assert compose_problems(doc)
