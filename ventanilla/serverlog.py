"""Server logs that keep the citizens' secrets: tracking tokens redacted, complainants unaddressed.

A tracking or survey link (`/seguimiento/<token>/`, `/encuesta/<token>/`) is the only key an anonymous
reporter holds, and an access log line would keep it for anyone who can read the logs. The anonymous
complaint pages promise that nothing identifies the complainant, so their log lines carry no client
address either (nor do the lines of requests those pages cause, recognised by their Referer).

`RedactingFilter` is a `logging.Filter` that rewrites records before any handler formats them. It
understands the access records of uvicorn (args: client, method, path, HTTP version, status), gunicorn
(args: the dict of atoms) and Django's runserver / request loggers (any string argument).

How to use it (docs/security.md):

* uvicorn:   `uvicorn ventanilla.asgi:application --log-config ventanilla/serverlog-uvicorn.json
             --no-server-header` (the file is `uvicorn_log_config()`, written by
             `python -m ventanilla.serverlog uvicorn`);
* gunicorn:  `gunicorn -c ventanilla/gunicorn.conf.py ventanilla.asgi:application`;
* anything else: `ventanilla.serverlog.install()` adds the filter to the server loggers; the ASGI and
  WSGI modules call it, so any server that imports them gets it.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import sys
from typing import Any

REDACTED = "[redacted]"
NO_ADDRESS = "-"

# The secret path segment, after an optional language prefix: tracking and survey links, Open311 tokens.
_SECRET_SEGMENT = re.compile(
    r"(?P<prefix>(?:/[a-z]{2}(?:-[a-z]+)?)?/(?:seguimiento|encuesta)/|/open311/v2/tokens/)(?P<secret>[^/?#\s\"]+)"
)
# Query arguments that carry a secret, wherever they appear.
_SECRET_QUERY = re.compile(r"(?P<name>(?:^|[?&;])(?:token|code|api_key|key)=)(?P<secret>[^&;#\s\"]*)", re.IGNORECASE)
# Pages whose visitors must not be recognisable: anonymous complaints and the anonymous receipt.
_ANONYMOUS_PAGE = re.compile(r"(?:^|//[^/\s]+|\s)(?:/[a-z]{2}(?:-[a-z]+)?)?/(?:denuncia/|reportar/recibido/anonimo/)")

LOGGERS = ("uvicorn.access", "gunicorn.access", "django.server", "django.request", "django.security")


def redact(text: str) -> str:
    """`text` with every tracking token and secret query value replaced by [redacted]."""
    text = _SECRET_SEGMENT.sub(lambda m: m.group("prefix") + REDACTED, text)
    if "=" in text:
        text = _SECRET_QUERY.sub(lambda m: m.group("name") + REDACTED, text)
    return text


def is_anonymous_page(text: str) -> bool:
    """Whether a path, request line or URL (a Referer) is one of the anonymous complaint pages."""
    return bool(_ANONYMOUS_PAGE.search(text))


def _redact_value(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactingFilter(logging.Filter):
    """Redacts secrets from server and request log records; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, dict):
            record.args = self._gunicorn(args)
        elif isinstance(args, tuple) and args:
            record.args = self._positional(record.name, args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True

    @staticmethod
    def _positional(logger: str, args: tuple) -> tuple:
        anonymous = any(isinstance(arg, str) and is_anonymous_page(arg) for arg in args)
        redacted = [_redact_value(arg) for arg in args]
        if logger == "uvicorn.access" and anonymous and len(redacted) >= 3:
            redacted[0] = NO_ADDRESS  # the client "host:port"
        return tuple(redacted)

    @staticmethod
    def _gunicorn(atoms: dict) -> dict:
        referer = str(atoms.get("f", "") or atoms.get("{referer}i", ""))
        line = str(atoms.get("r", "")) + " " + str(atoms.get("U", ""))
        cleaned = {key: _redact_value(value) for key, value in atoms.items()}
        if is_anonymous_page(line) or is_anonymous_page(referer):
            for key in ("h", "{x-forwarded-for}i", "{x-real-ip}i", "{forwarded}i"):
                if key in cleaned:
                    cleaned[key] = NO_ADDRESS
        return cleaned


def install(loggers: tuple[str, ...] = LOGGERS) -> None:
    """Add the filter to the server loggers (idempotent). Logger filters apply whatever the handlers."""
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())


def uvicorn_log_config() -> dict:
    """uvicorn's own logging configuration with the filter on its access and error loggers."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact": {"()": "ventanilla.serverlog.RedactingFilter"}}
    for name in ("uvicorn.access", "uvicorn.error"):
        config["loggers"][name]["filters"] = ["redact"]
    for handler in config["handlers"].values():
        handler["filters"] = ["redact"]
    return config


def main(argv: list[str]) -> int:
    if argv[1:] != ["uvicorn"]:
        print("usage: python -m ventanilla.serverlog uvicorn > serverlog-uvicorn.json", file=sys.stderr)
        return 2
    print(json.dumps(uvicorn_log_config(), indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
