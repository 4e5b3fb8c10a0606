"""Local stand-ins for the providers, used by the tests and bench/notifications.py: an HTTP SMS gateway
that checks every request's signature and recognises resends by their Idempotency-Key, and an SMTP
server (aiosmtpd) that records what it accepted. Both listen on 127.0.0.1 only."""

from __future__ import annotations

import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .gateways import sign


@dataclass
class FakeGateway:
    key: str = "test-gateway-key"
    # Status codes to answer in order (then 200); e.g. [500, 500] fails twice.
    script: list[int] = field(default_factory=list)
    # Seconds to wait before answering (a timeout test), and keys whose answer never comes until release.
    delay: float = 0.0
    hold: threading.Event | None = None
    requests: list[dict] = field(default_factory=list)
    deliveries: dict[str, dict] = field(default_factory=dict)  # Idempotency-Key -> first accepted body
    bad_signatures: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                timestamp = self.headers.get("X-Ventanilla-Timestamp", "")
                signature = self.headers.get("X-Ventanilla-Signature", "").removeprefix("sha256=")
                key = self.headers.get("Idempotency-Key", "")
                if not hmac.compare_digest(sign(gateway.key, timestamp, body), signature):
                    with gateway.lock:
                        gateway.bad_signatures += 1
                    self._answer(401, {"error": "bad signature"})
                    return
                with gateway.lock:
                    gateway.requests.append({"key": key, "body": json.loads(body)})
                    status = gateway.script.pop(0) if gateway.script else 200
                    if status == 200:
                        # Accepted: a resend with the same key is recognised and not delivered twice.
                        gateway.deliveries.setdefault(key, json.loads(body))
                if gateway.hold is not None:
                    gateway.hold.wait(60)
                if gateway.delay:
                    time.sleep(gateway.delay)
                self._answer(status, {"id": f"gw-{key[:8]}"} if status == 200 else {"error": "scripted"})

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/messages"

    def __enter__(self) -> "FakeGateway":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingSMTP:
    """An aiosmtpd server on a free local port. `refuse` answers every message with that SMTP reply."""

    def __init__(self, refuse: str | None = None) -> None:
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command

        self.messages: list[dict] = []
        self.refuse = refuse
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                if outer.refuse:
                    return outer.refuse
                outer.messages.append({"to": envelope.rcpt_tos, "data": envelope.content.decode("utf-8", "replace")})
                return "250 Message accepted for delivery"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "RecordingSMTP":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def message_ids(self) -> list[str]:
        ids = []
        for message in self.messages:
            for line in message["data"].splitlines():
                if line.lower().startswith("message-id:"):
                    ids.append(line.split(":", 1)[1].strip())
        return ids
