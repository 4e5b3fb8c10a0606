"""Names of the indicators as people read them (tables, data dictionary) and as machines read them
(CSV headers, JSON keys: the stable English names)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (key in the figures, column label, lower is better?)
TABLE_COLUMNS = [
    ("received", _("Received"), False),
    ("closed", _("Closed"), False),
    ("within_sla_pct", _("Closed within the service level (%)"), False),
    ("median_days", _("Median business days to close"), True),
    ("p90_days", _("90th percentile business days"), True),
    ("backlog", _("Open at month end"), True),
    ("overdue", _("Overdue at month end"), True),
    ("reopened", _("Reopened"), True),
    ("transferred_out", _("Transferred out"), True),
    ("returned", _("Returned (not competent)"), True),
    ("satisfaction_avg", _("Satisfaction (1-5)"), False),
    ("response_rate_pct", _("Survey response rate (%)"), False),
]
SORT_KEYS = {key for key, _label, _lower in TABLE_COLUMNS} | {"rank", "entity_name"}

# The CSV/JSON columns of the monthly performance table, in order.
PERFORMANCE_FIELDS = [
    "year", "month", "entity_code", "entity_name", "entity_kind", "category_code", "rank",
    "received", "imported", "closed", "closed_within_sla", "within_sla_pct", "median_days", "p90_days",
    "backlog", "overdue", "reopened", "transferred_out", "returned",
    "surveys", "satisfaction_avg", "satisfied_pct", "solved_pct", "response_rate_pct",
    "sdg_accessibility_pct", "sdg_affordability_pct", "sdg_equal_treatment_pct", "sdg_effective_delivery_pct",
    "sdg_timeliness_pct", "sdg_average_pct", "sdg_answers",
]  # fmt: skip

SDG_LABELS = {
    "accessibility": _("Accessibility"),
    "affordability": _("Affordability"),
    "equal_treatment": _("Equal treatment"),
    "effective_delivery": _("Effective delivery (a simple process)"),
    "timeliness": _("Timeliness"),
}

# The open-data cases file: (column, meaning) — the data dictionary page lists them.
CASE_COLUMNS = [
    ("number", _("Public case number, YYYY-NNNNNN.")),
    ("category_code", _("Code of the category (the Open311 service_code).")),
    ("category_name", _("Name of the category in Spanish.")),
    ("entity_code", _("Code of the entity in charge (empty while the case waits in the 311 triage queue).")),
    ("entity_name", _("Name of the entity in charge.")),
    ("district_code", _("Code of the district where the problem is, when a place was given.")),
    ("district_name", _("Name of that district.")),
    ("channel", _("How the case came in: web, mobile, phone, api, email, sms, whatsapp, social, in_person, sensor.")),
    ("state", _("Current state: received, assigned, in_progress, waiting_citizen, resolved, closed, rejected, reopened.")),
    ("rejection_reason", _("For rejected cases: duplicate or not_competent (spam is never published).")),
    ("created_at", _("When the case was received (ISO 8601 with offset).")),
    ("resolved_at", _("When it was last resolved, if it was.")),
    ("closed_at", _("When it was closed or rejected, if it was.")),
    ("due_at", _("The service-level due date.")),
    ("sla_met", _("true if resolved by the due date, false if resolved late or still open past it, empty otherwise.")),
    ("satisfaction", _("The citizen's satisfaction from 1 to 5, when the survey was answered.")),
    ("imported", _("true for history imported from an earlier system.")),
    ("lat", _("Latitude of the point, as the Open311 interface publishes it.")),
    ("lon", _("Longitude of the point, as the Open311 interface publishes it.")),
]


def performance_row(year: int, month: int, row: dict, category_code: str = "") -> dict:
    f = row["figures"]
    out = {"year": year, "month": month, "entity_code": row.get("entity_code", ""), "entity_name": row.get("entity_name", ""),
           "entity_kind": row.get("entity_kind", ""), "category_code": category_code, "rank": row.get("rank")}  # fmt: skip
    for key in PERFORMANCE_FIELDS[7:]:
        if key.startswith("sdg_") and key.endswith("_pct") and key != "sdg_average_pct":
            out[key] = f["sdg"][key[4:-4]]["pct"]
        elif key == "sdg_answers":
            out[key] = max(v["answered"] for v in f["sdg"].values())
        else:
            out[key] = f[key]
    return out
