"""What can be checked of the container files on a machine without a container daemon (docs/deploy.md)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DEPLOY_DOC = (ROOT / "docs" / "deploy.md").read_text()
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def documented_variables() -> set[str]:
    table = [line for line in DEPLOY_DOC.splitlines() if line.startswith("| `")]
    return {name for line in table for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])}


def test_the_compose_file_runs_the_documented_topology():
    services = COMPOSE["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert services["web"]["command"] == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "ventanilla", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "ventanilla", "beat"]
    for name in ("migrate", "web", "worker", "beat"):
        assert services[name]["image"] == "ventanilla:latest" and services[name]["build"] == "."
    assert (ROOT / "deploy" / "gunicorn.conf.py").exists()


def test_every_variable_the_compose_file_sets_is_documented():
    documented = documented_variables()
    used = set()
    for name in ("web", "worker", "beat", "migrate"):
        used |= set(COMPOSE["services"][name]["environment"])
    assert used - documented == set()


def test_every_variable_the_settings_read_for_operations_is_documented():
    settings_text = (ROOT / "ventanilla" / "settings.py").read_text()
    operations = settings_text[settings_text.index("# --- Operations: metrics"):]
    read = set(re.findall(r"""(?:environ\.get|envbool|envint|envstr|envlist)\(\s*["']([A-Z0-9_]+)""", operations))
    assert read and read - documented_variables() == set()


def test_the_image_serves_asgi_through_gunicorn_with_uvicorn_workers():
    conf = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    assert 'worker_class = "uvicorn_worker.UvicornWorker"' in conf
    assert 'wsgi_app = "ventanilla.asgi:application"' in conf
    assert 'CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]' in DOCKERFILE
    assert "collectstatic" in DOCKERFILE and "/healthz" in DOCKERFILE
    requirements = (ROOT / "requirements.txt").read_text()
    for package in ("gunicorn==", "uvicorn==", "uvicorn-worker==", "whitenoise==", "celery[redis]=="):
        assert package in requirements
