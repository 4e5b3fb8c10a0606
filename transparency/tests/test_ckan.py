"""Publication to CKAN, against a local HTTP server that checks each request as the CKAN action API
documentation describes it (POST JSON to /api/3/action/<name>, API token in Authorization, required
parameters, {"success": ..., "result": ...} answers)."""

from __future__ import annotations

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from transparency.jobs import publish_month
from transparency.models import PublishedMonth
from transparency.tests.dataset import MONTH, YEAR, build_month

API_KEY = "tok-0123456789abcdef"
NAME = re.compile(r"^[a-z0-9_-]{2,100}$")  # CKAN's rule for package names
REQUIRED = {"package_show": ["id"], "package_create": ["name", "owner_org"], "package_update": ["id", "name"],
            "resource_create": ["package_id", "url"]}  # fmt: skip


class FakeCkan:
    def __init__(self) -> None:
        self.packages: dict[str, dict] = {}
        self.calls: list[tuple[str, dict]] = []
        self.problems: list[str] = []

    def handle(self, action: str, payload: dict) -> tuple[int, dict]:
        self.calls.append((action, payload))
        missing = [key for key in REQUIRED.get(action, ["?"]) if not payload.get(key)]
        if missing:
            self.problems.append(f"{action} without {missing}")
            return 409, {"success": False, "error": {"__type": "Validation Error", "missing": missing}}
        if action == "package_show":
            package = self.packages.get(payload["id"]) or next((p for p in self.packages.values() if p["id"] == payload["id"]), None)
            if package is None:
                return 404, {"success": False, "error": {"__type": "Not Found Error", "message": "Not found"}}
            return 200, {"success": True, "result": package}
        if action == "package_create":
            if not NAME.match(payload["name"]):
                self.problems.append(f"bad name {payload['name']}")
            package = {**payload, "id": str(uuid.uuid4()), "resources": []}
            self.packages[payload["name"]] = package
            return 200, {"success": True, "result": package}
        if action == "package_update":
            package = next(p for p in self.packages.values() if p["id"] == payload["id"])
            package.update(payload)
            return 200, {"success": True, "result": package}
        if action == "resource_create":
            package = next(p for p in self.packages.values() if p["id"] == payload["package_id"])
            resource = {**payload, "id": str(uuid.uuid4())}
            package["resources"].append(resource)
            return 200, {"success": True, "result": resource}
        return 400, {"success": False, "error": {"__type": "Unknown action"}}


@pytest.fixture
def ckan(settings):
    fake = FakeCkan()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            match = re.fullmatch(r"/api/3/action/([a-z_]+)", self.path)
            problems = []
            if not match:
                problems.append(f"path {self.path}")
            if self.headers.get("Authorization") != API_KEY:
                problems.append("no API token")
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                problems.append("not JSON")
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
            if problems:
                fake.problems += problems
                status, answer = 403, {"success": False, "error": {"__type": "Authorization Error"}}
            else:
                status, answer = fake.handle(match.group(1), payload)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802
            fake.problems.append(f"GET {self.path}")
            self.send_response(405)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TRANSPARENCY_CKAN_URL = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.TRANSPARENCY_CKAN_API_KEY = API_KEY
    settings.TRANSPARENCY_CKAN_ORGANIZATION = "ventanilla-311"
    settings.TRANSPARENCY_CKAN_DATASET = "ventanilla-311-casos"
    settings.SITE_URL = "https://311.example.gob.pa"
    yield fake
    server.shutdown()
    server.server_close()


def test_the_monthly_job_creates_the_dataset_and_its_resources(world, ckan):
    build_month(world)

    published = publish_month(YEAR, MONTH)

    assert ckan.problems == []
    assert [action for action, _ in ckan.calls] == ["package_show", "package_create"] + ["resource_create"] * 5
    package = ckan.packages["ventanilla-311-casos"]
    assert package["owner_org"] == "ventanilla-311"
    urls = {r["url"] for r in package["resources"]}
    assert "https://311.example.gob.pa/transparencia/datos/2026/03/casos.csv" in urls
    assert "https://311.example.gob.pa/transparencia/2026/03.json" in urls
    published.refresh_from_db()
    assert published.ckan_published_at is not None


def test_the_next_month_updates_the_dataset_and_adds_only_its_files(world, ckan):
    build_month(world)
    publish_month(YEAR, 2)
    ckan.calls.clear()

    publish_month(YEAR, MONTH)

    assert ckan.problems == []
    assert [action for action, _ in ckan.calls] == ["package_show", "package_update"] + ["resource_create"] * 5
    assert len(ckan.packages["ventanilla-311-casos"]["resources"]) == 10


def test_a_ckan_failure_leaves_the_month_published(world, ckan, settings):
    build_month(world)
    settings.TRANSPARENCY_CKAN_API_KEY = "wrong"

    published = publish_month(YEAR, MONTH)

    assert PublishedMonth.objects.get(pk=published.pk).ckan_published_at is None
    assert ckan.problems == ["no API token"]


def test_without_a_url_nothing_is_sent(world, settings):
    settings.TRANSPARENCY_CKAN_URL = ""
    build_month(world)
    assert publish_month(YEAR, MONTH).ckan_published_at is None
