"""The local `.env` file that `make demo` writes: the demo's settings for the `ventanilla` console script.

Rules (docs/demo.md):
- only the console script reads it (`ventanilla.cli.main`); the ASGI/WSGI entry points a production server
  imports never do, and neither does the test suite (pytest imports the settings directly, and
  `VENTANILLA_TESTING=1` switches the file off for subprocesses too);
- the real environment always wins: a variable already set is never overwritten;
- the format is the common one: `NAME=value` lines, `#` comments, optional quotes around the value.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def env_file_path() -> Path:
    return Path(os.environ.get("VENTANILLA_ENV_FILE") or BASE_DIR / ".env")


def parse(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        name, sep, value = line.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name.isidentifier():
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name] = value
    return values


def load(path: Path | None = None, environ: dict | None = None) -> dict[str, str]:
    """Add the file's values to the environment where it has none; return what was added."""
    environ = os.environ if environ is None else environ
    if environ.get("VENTANILLA_TESTING", "").strip().lower() in {"1", "true", "yes", "on"}:
        return {}
    path = path or env_file_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return {}
    added = {}
    for name, value in parse(text).items():
        if name not in environ:
            environ[name] = value
            added[name] = value
    return added


def write(values: dict[str, str], path: Path | None = None, header: str = "") -> Path:
    """Write (replace) the file with these values, keeping it readable by its owner only."""
    path = path or env_file_path()
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += [f"{name}={value}" for name, value in values.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path
