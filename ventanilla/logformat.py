"""Structured logs: LOG_FORMAT=json makes every record one JSON object per line (python-json-logger), for
log collectors. Same loggers and handlers, another layout; records carry no personal data (docs/privacy.md)."""

from __future__ import annotations

JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}


def with_json_format(config: dict) -> dict:
    """`config` (a LOGGING dict) with every handler writing JSON."""
    config = {**config, "formatters": {**config.get("formatters", {}), "json": JSON_FORMATTER}}
    config["handlers"] = {name: {**handler, "formatter": "json"} for name, handler in config.get("handlers", {}).items()}
    return config
