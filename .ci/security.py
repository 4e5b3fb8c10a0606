"""Supply-chain and static security checks, run by .ci/run; any finding fails CI.

1. pip-audit over the virtualenv built from the pinned requirements (transitive dependencies included);
2. `npm audit --omit=dev` over the front-end assets (what reaches citizens' browsers);
3. ruff's flake8-bandit rules (`S`) over the code (configuration in pyproject.toml).

A known vulnerability that cannot be fixed yet is waived in .ci/security-waivers.toml, each entry with
its reason and an expiry date; an expired waiver fails the run, so every waiver is looked at again.

    .venv/bin/python .ci/security.py            # all three
    .venv/bin/python .ci/security.py pip ruff   # some
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WAIVERS = Path(__file__).resolve().parent / "security-waivers.toml"
BIN = Path(sys.executable).parent
# What `npm audit` reports when the registry offers no advisory service (some mirrors do not).
NPM_AUDIT_UNAVAILABLE = "npm-audit-unavailable"


@dataclass(frozen=True)
class Waiver:
    id: str
    tool: str
    reason: str
    expires: dt.date

    def expired(self, today: dt.date) -> bool:
        return today > self.expires


@dataclass(frozen=True)
class Finding:
    tool: str
    id: str
    summary: str


def load_waivers(path: Path = WAIVERS) -> list[Waiver]:
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    waivers = []
    for entry in data.get("waiver", []):
        missing = {"id", "tool", "reason", "expires"} - set(entry)
        if missing or not str(entry.get("reason", "")).strip():
            raise SystemExit(f"{path.name}: every waiver needs id, tool, reason and expires; {entry} lacks {missing or 'a reason'}")
        expires = entry["expires"] if isinstance(entry["expires"], dt.date) else dt.date.fromisoformat(str(entry["expires"]))
        waivers.append(Waiver(entry["id"], entry["tool"], entry["reason"].strip(), expires))
    return waivers


def pip_audit_findings(report: dict) -> list[Finding]:
    """Findings from `pip-audit --format json`."""
    findings = []
    for dependency in report.get("dependencies", []):
        for vuln in dependency.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            fixes = ", ".join(vuln.get("fix_versions", [])) or "none yet"
            summary = f"{dependency['name']} {dependency['version']}: {' / '.join(ids)} (fixed in {fixes})"
            findings.extend(Finding("pip-audit", identifier, summary) for identifier in ids[:1])
    return findings


def npm_audit_findings(report: dict) -> list[Finding]:
    """Findings from `npm audit --json` (npm 7+), or the service-unavailable finding."""
    if "vulnerabilities" not in report:
        message = report.get("message") or report.get("error", {}).get("summary") or "no report"
        return [Finding("npm-audit", NPM_AUDIT_UNAVAILABLE, f"npm audit could not run: {message}")]
    findings = []
    for name, vulnerability in report["vulnerabilities"].items():
        for via in vulnerability.get("via", []):
            if isinstance(via, dict):
                advisory = str(via.get("url", "")).rsplit("/", 1)[-1] or str(via.get("source"))
                findings.append(Finding("npm-audit", f"{name}:{advisory}", f"{name}: {via.get('title')} ({via.get('severity')})"))
    return findings


def unwaived(findings: list[Finding], waivers: list[Waiver], today: dt.date) -> tuple[list[Finding], list[Waiver]]:
    """The findings no valid waiver covers, and the waivers past their date. A waiver id ending in
    `:*` covers every advisory of that package (npm findings are `package:advisory`)."""
    valid = [w for w in waivers if not w.expired(today)]

    def covered(finding: Finding) -> bool:
        return any(
            w.tool == finding.tool and (w.id == finding.id or (w.id.endswith(":*") and finding.id.startswith(w.id[:-1])))
            for w in valid
        )

    return [f for f in findings if not covered(f)], [w for w in waivers if w.expired(today)]


def run_pip_audit() -> list[Finding]:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [str(BIN / "pip-audit"), "--skip-editable", "--progress-spinner", "off", "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    try:
        return pip_audit_findings(json.loads(result.stdout))
    except json.JSONDecodeError:
        return [Finding("pip-audit", "pip-audit-failed", (result.stderr or result.stdout).strip()[-500:])]


def run_npm_audit() -> list[Finding]:
    command = ["npm", "audit", "--omit=dev", "--json"]  # npm from PATH, as the Makefile runs it
    result = subprocess.run(  # noqa: S603 - fixed argv
        command, cwd=ROOT / "assets", capture_output=True, text=True, check=False  # noqa: S607
    )
    try:
        return npm_audit_findings(json.loads(result.stdout or "{}"))
    except json.JSONDecodeError:
        return [Finding("npm-audit", NPM_AUDIT_UNAVAILABLE, result.stderr.strip()[-500:])]


def run_ruff() -> list[Finding]:
    result = subprocess.run(  # noqa: S603 - fixed argv
        [str(BIN / "ruff"), "check", "--output-format", "json", "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    try:
        issues = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [Finding("ruff", "ruff-failed", (result.stderr or result.stdout).strip()[-500:])]
    return [
        Finding("ruff", issue["code"] or "syntax", f"{Path(issue['filename']).relative_to(ROOT)}:{issue['location']['row']}: {issue['message']}")
        for issue in issues
    ]


CHECKS = {"pip": run_pip_audit, "npm": run_npm_audit, "ruff": run_ruff}


def main(argv: list[str]) -> int:
    names = argv or list(CHECKS)
    today = dt.date.today()
    waivers = load_waivers()
    failed = False
    for name in names:
        findings, expired = unwaived(CHECKS[name](), waivers, today)
        waived = [w for w in waivers if not w.expired(today) and w.tool.startswith(name)]
        print(f"== security: {name}: {len(findings)} finding(s), {len(waived)} waiver(s) in force")
        for waiver in waived:
            print(f"   waived until {waiver.expires}: {waiver.id} - {waiver.reason}")
        for finding in findings:
            print(f"   FAIL {finding.id}: {finding.summary}")
        failed = failed or bool(findings)
    for waiver in {w for w in waivers if w.expired(today)}:
        print(f"   FAIL expired waiver ({waiver.expires}): {waiver.tool} {waiver.id} - look at it again")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
