"""The CI security checks (.ci/security.py): findings fail, waivers need a reason and expire, and the
code base passes the static rules as it stands."""

from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("ci_security", ROOT / ".ci" / "security.py")
security = importlib.util.module_from_spec(spec)
sys.modules["ci_security"] = security
spec.loader.exec_module(security)

TODAY = dt.date(2026, 12, 1)
PIP_REPORT = {
    "dependencies": [
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "aliases": ["CVE-2025-1"], "fix_versions": ["5.2.1"]}]},
        {"name": "pillow", "version": "13.0.0", "vulns": []},
    ]
}
NPM_REPORT = {"vulnerabilities": {"leaflet": {"via": [{"url": "https://github.com/advisories/GHSA-aaaa", "title": "XSS", "severity": "moderate"}]}}}


def waiver(tool: str, identifier: str, expires: dt.date) -> "security.Waiver":
    return security.Waiver(identifier, tool, "explained", expires)


def test_a_known_vulnerability_fails_unless_a_waiver_in_force_covers_it():
    findings = security.pip_audit_findings(PIP_REPORT)
    assert [f.id for f in findings] == ["PYSEC-2025-1"]

    failing, _ = security.unwaived(findings, [], TODAY)
    waived, _ = security.unwaived(findings, [waiver("pip-audit", "PYSEC-2025-1", dt.date(2027, 1, 1))], TODAY)
    lapsed, expired = security.unwaived(findings, [waiver("pip-audit", "PYSEC-2025-1", dt.date(2026, 11, 30))], TODAY)

    assert failing == findings and waived == [] and lapsed == findings
    assert [w.id for w in expired] == ["PYSEC-2025-1"]


def test_npm_findings_can_be_waived_per_package_and_an_unreachable_audit_is_a_finding():
    findings = security.npm_audit_findings(NPM_REPORT)
    assert [f.id for f in findings] == ["leaflet:GHSA-aaaa"]
    assert security.unwaived(findings, [waiver("npm-audit", "leaflet:*", dt.date(2027, 1, 1))], TODAY)[0] == []
    unavailable = security.npm_audit_findings({"message": "405 Method Not Allowed"})
    assert [f.id for f in unavailable] == [security.NPM_AUDIT_UNAVAILABLE]


def test_a_waiver_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "waivers.toml"
    path.write_text('[[waiver]]\ntool = "pip-audit"\nid = "X"\nreason = " "\nexpires = 2027-01-01\n')
    with pytest.raises(SystemExit):
        security.load_waivers(path)


def test_the_waivers_in_force_are_explained_and_not_expired():
    waivers = security.load_waivers()
    for item in waivers:
        assert len(item.reason) > 80, item.id
        assert item.expires <= dt.date.today() + dt.timedelta(days=366), f"{item.id}: waive for a year at most"


def test_the_code_passes_the_static_security_rules():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), "check", "--output-format", "concise", "."],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
