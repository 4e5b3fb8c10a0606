"""gunicorn settings for production: `gunicorn -c ventanilla/gunicorn.conf.py ventanilla.asgi:application`.

Several uvicorn workers (WEB_CONCURRENCY, default 2 × cores + 1 capped at 8), no server banner, and
access logs without tracking tokens or complainants' addresses (ventanilla/serverlog.py). A worker
that dies (even kill -9) is replaced by the arbiter; see docs/open311.md for what clients do then.
"""

import multiprocessing
import os

from ventanilla import serverlog

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 8))
worker_class = os.environ.get("WORKER_CLASS", "ventanilla.workers.UvicornWorker")
accesslog = os.environ.get("ACCESS_LOG", "-")
errorlog = os.environ.get("ERROR_LOG", "-")
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", "30"))
timeout = int(os.environ.get("WORKER_TIMEOUT", "60"))
# Forwarded headers are believed only from the proxy in front (nginx on the same machine by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    # The worker's access logger (uvicorn.access under the uvicorn worker, gunicorn.access under the
    # sync one) redacts before any handler writes.
    serverlog.install()


def on_starting(server):
    serverlog.install()
