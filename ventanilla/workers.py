"""The gunicorn worker for production: uvicorn's, without the `Server` banner (docs/security.md)."""

from __future__ import annotations

from uvicorn_worker import UvicornWorker as _UvicornWorker


class UvicornWorker(_UvicornWorker):
    CONFIG_KWARGS = {**_UvicornWorker.CONFIG_KWARGS, "server_header": False}
