"""Loading the procedures catalog from a jurisdiction's data set (idempotent, by slug and code)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from entities.models import Entity

from .models import Procedure, Theme


@transaction.atomic
def load_themes(rows: list[dict[str, Any]]) -> int:
    for row in rows:
        Theme.objects.update_or_create(code=row["code"], defaults={"name_es": row["name_es"], "name_en": row["name_en"]})
    return len(rows)


@transaction.atomic
def load_procedures(rows: list[dict[str, Any]]) -> int:
    themes = {t.code: t for t in Theme.objects.all()}
    entities = {e.code: e for e in Entity.objects.all()}
    for row in rows:
        channels = row.get("channels") or {}
        procedure, _ = Procedure.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "entity": entities[row["entity"]],
                "name": row["name"],
                "name_en": row.get("name_en") or "",
                "summary": row["summary"],
                "summary_en": row.get("summary_en") or "",
                "who_may_apply": row.get("who_may_apply") or "",
                "requirements": row.get("requirements") or [],
                "documents": row.get("documents") or [],
                "steps": row.get("steps") or [],
                "cost": Decimal(row["cost"]) if row.get("cost") not in (None, "") else None,
                "cost_notes": row.get("cost_notes") or "",
                "duration": row.get("duration") or "",
                "online_url": channels.get("online_url") or "",
                "offices": channels.get("offices") or [],
                "phone": channels.get("phone") or "",
                "legal_basis": row.get("legal_basis") or "",
                "keywords": row.get("keywords") or [],
                "last_reviewed": row["last_reviewed"],
                "source_url": row.get("source_url") or "",
            },
        )
        procedure.themes.set([themes[code] for code in row.get("themes", [])])
    return len(rows)
