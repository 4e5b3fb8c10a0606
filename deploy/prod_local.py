"""`make prod-local`: the production topology on this machine, from the repository (docs/deploy.md).

Uses the PostgreSQL and Redis installed here. Prepares the database (created if missing, migrated, the
jurisdiction loaded when it has no categories), collects static files for WhiteNoise, then runs:

- gunicorn with uvicorn workers (ASGI) on PORT (default 8160), settings in deploy/gunicorn.conf.py;
- a Celery worker and Celery beat on Redis.

DEBUG stays off: these are the production settings. Stops everything on Ctrl-C / SIGTERM, and stops
everything with an error when one of the processes dies.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = ROOT / "var"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DEBUG", None)
    env.pop("VENTANILLA_TESTING", None)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ventanilla_prod_local")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")
    env.setdefault("PORT", "8160")
    env.setdefault("HOST", "127.0.0.1")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("SITE_URL", f"http://127.0.0.1:{env['PORT']}")
    # Plain HTTP on this machine: cookies cannot be marked Secure.
    env.setdefault("SECURE_COOKIES", "0")
    # Plain http on this machine: no TLS in front of it, so no redirect to https and no HSTS.
    env.setdefault("HTTPS", "0")
    env.setdefault("DB_CONN_MAX_AGE", "0")
    env.setdefault("LOG_FORMAT", "json")
    env.setdefault("WEB_CONCURRENCY", "2")
    env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(VAR / "prometheus"))
    if not env.get("SECRET_KEY"):
        secret_file = VAR / "prod-local-secret-key"
        VAR.mkdir(exist_ok=True)
        if not secret_file.exists():
            secret_file.write_text(secrets.token_urlsafe(50))
            secret_file.chmod(0o600)
        env["SECRET_KEY"] = secret_file.read_text().strip()
    return env


def create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "ventanilla"), *args], cwd=ROOT, env=env, check=True)  # noqa: S603 - our own console script with fixed arguments


def prepare(env: dict[str, str]) -> None:
    create_database(env["DATABASE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    check = "from cases.models import Category; import sys; sys.exit(0 if Category.objects.exists() else 1)"
    if subprocess.run([str(BIN / "ventanilla"), "shell", "-c", check], cwd=ROOT, env=env).returncode:  # noqa: S603 - our own console script with fixed arguments
        manage(env, "load_jurisdiction", "-v0")


def processes(env: dict[str, str]) -> dict[str, list[str]]:
    return {
        "web": [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        "worker": [str(BIN / "celery"), "-A", "ventanilla", "worker", "--loglevel", "INFO", "--concurrency",
                   env.get("CELERY_CONCURRENCY", "1"), "--hostname", f"prod-local@{env['PORT']}"],
        "beat": [str(BIN / "celery"), "-A", "ventanilla", "beat", "--loglevel", "INFO", "--schedule",
                 str(VAR / f"celerybeat-schedule-{env['PORT']}")],
    }


def process_env(env: dict[str, str], name: str) -> dict[str, str]:
    # The web server pools its database connections (ASGI: one thread per request, docs/deploy.md);
    # Celery's forked processes open their own and do not share a pool made before the fork.
    if name == "web":
        return {"DB_POOL_MAX_SIZE": "8", **env}
    return {**env, "DB_POOL_MAX_SIZE": "0"}


def main() -> int:
    env = environment()
    prepare(env)
    running: dict[str, subprocess.Popen] = {}
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for name, command in processes(env).items():
        running[name] = subprocess.Popen(command, cwd=ROOT, env=process_env(env, name))  # noqa: S603 - the topology's own fixed commands
    print(f"prod-local: http://{env['HOST']}:{env['PORT']}/ (web, worker, beat running; Ctrl-C stops)", flush=True)
    failed = ""
    while not stopping and not failed:
        for name, process in running.items():
            if process.poll() is not None:
                failed = name
        time.sleep(0.5)
    for process in running.values():
        if process.poll() is None:
            process.terminate()
    for process in running.values():
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    if failed:
        print(f"prod-local: {failed} stopped (exit {running[failed].returncode}); stopped the others", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
