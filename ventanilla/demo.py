"""`make demo`: prepare the local demo and serve it the way production does.

    python -m ventanilla.demo [--host 127.0.0.1] [--port 8000] [--cases N] [--prepare-only]

1. writes the local `.env` (ventanilla/envfile.py) with the demo's settings: `DEMO=1` (demo accounts with
   a published password), `DEBUG=0` (friendly error pages, compressed static files, no tracebacks), a
   random `SECRET_KEY` kept across runs, cookies without the `Secure` flag (the demo is plain http on this
   machine only), the site's address. The real environment wins over every line. From then on the
   console script (`.venv/bin/ventanilla …`) reads the same settings, so documented commands work as
   written;
2. migrates, collects the static files (WhiteNoise's compressed manifest) and runs `load_demo`;
3. serves the ASGI application with uvicorn (the production server, without auto-reload: `make dev`
   is the auto-reloading development server), and prints what to open once it listens.

The background worker (`ventanilla worker`: the notifications outbox and the periodic jobs, no broker)
is started next to the server in `serve()` and stopped with it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

from ventanilla import envfile

HEADER = """Written by `make demo` (ventanilla/demo.py): the local demo's settings, read by the `ventanilla`
console script. Never used by tests or by a production server. Delete it to start again.
Variables set in the real environment win over the lines below."""


def demo_settings(host: str, port: int, existing: dict[str, str]) -> dict[str, str]:
    site = f"http://{host}:{port}"
    return {
        "DEMO": "1",
        "DEBUG": "0",
        # Random per checkout, kept across runs so that sessions survive a restart.
        "SECRET_KEY": existing.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "SECURE_COOKIES": "0",
        # Plain http on this machine: no redirect to https, no HSTS (which a browser would remember).
        "HTTPS": "0",
        "ALLOWED_HOSTS": ",".join(dict.fromkeys([host, "127.0.0.1", "localhost", "[::1]"])),
        "SITE_URL": site,
        "CSRF_TRUSTED_ORIGINS": site,
    }


def write_env(host: str, port: int) -> dict[str, str]:
    path = envfile.env_file_path()
    existing = envfile.parse(path.read_text(encoding="utf-8")) if path.exists() else {}
    values = {**existing, **demo_settings(host, port, existing)}
    envfile.write(values, path, header=HEADER)
    return values


def banner(site: str) -> str:
    return "\n".join(
        [
            "",
            "Ventanilla demo is running:",
            f"  Site (citizens):         {site}/",
            f"  Back office (staff):     {site}/oficina/",
            f"  Administration:          {site}/admin/ (in English: {site}/en/admin/)",
            "  Demo accounts and password: docs/demo.md",
            "Stop it with Ctrl+C.",
            "",
        ]
    )


def prepare(cases: int | None, verbosity: int = 1) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    options = {"verbosity": verbosity}
    if cases is not None:
        options["cases"] = cases
    call_command("load_demo", **options)


def serve(host: str, port: int, site: str) -> None:
    import uvicorn

    class DemoServer(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                print(banner(site), flush=True)

    config = uvicorn.Config("ventanilla.asgi:application", host=host, port=port, log_level="info", lifespan="off")
    worker = start_worker()
    try:
        DemoServer(config).run()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def start_worker() -> subprocess.Popen:
    """The demo's background worker, in its own process with the same settings (os.environ holds .env)."""
    script = Path(sys.executable).with_name("ventanilla")
    return subprocess.Popen([str(script), "worker"], env=os.environ.copy())  # noqa: S603 - our own console script, fixed arguments


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ventanilla.demo", description="Prepare and serve the local demo.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    parser.add_argument("--cases", type=int, default=None, help="Cases load_demo generates into an empty database.")
    parser.add_argument("--prepare-only", action="store_true", help="Write .env, migrate, collect, load; do not serve.")
    args = parser.parse_args(argv)

    write_env(args.host, args.port)
    envfile.load()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    prepare(args.cases)
    site = os.environ.get("SITE_URL") or f"http://{args.host}:{args.port}"
    if args.prepare_only:
        print(banner(site).replace("is running", "is ready (python -m ventanilla.demo to serve it)"), flush=True)
        return
    serve(args.host, args.port, site)


if __name__ == "__main__":
    main(sys.argv[1:])
