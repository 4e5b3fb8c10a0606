"""Loading a jurisdiction's categories and work calendar from its data set (idempotent, by code)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from entities.models import Entity

from .models import Category, CategoryAttribute, NonWorkingDay


@transaction.atomic
def load_categories(rows: list[dict[str, Any]]) -> int:
    for row in rows:
        owner = Entity.objects.get(code=row["owner"]) if row.get("owner") else None
        category, _ = Category.objects.update_or_create(
            code=row["code"],
            defaults={
                "group_es": row["group_es"],
                "group_en": row["group_en"],
                "name_es": row["name_es"],
                "name_en": row["name_en"],
                "description_es": row.get("description_es", ""),
                "description_en": row.get("description_en", ""),
                "keywords_es": row.get("keywords_es", ""),
                "owner": owner,
                "municipal": bool(row.get("municipal")),
                "sla_business_days": row["sla_days"],
                "urgent": bool(row.get("urgent")),
                "sensitive": bool(row.get("sensitive")),
                "anonymous_allowed": bool(row.get("anonymous_allowed")),
                "public": row.get("public", True),
            },
        )
        codes = []
        for position, attribute in enumerate(row.get("attributes", []), start=1):
            CategoryAttribute.objects.update_or_create(
                category=category,
                code=attribute["code"],
                defaults={
                    "datatype": attribute["datatype"],
                    "required": bool(attribute.get("required")),
                    "order": attribute.get("order", position),
                    "description_es": attribute["description_es"],
                    "description_en": attribute["description_en"],
                    "values": attribute.get("values", []),
                },
            )
            codes.append(attribute["code"])
        category.attributes.exclude(code__in=codes).delete()
    return len(rows)


@transaction.atomic
def load_non_working_days(rows: list[dict[str, Any]]) -> int:
    for row in rows:
        NonWorkingDay.objects.update_or_create(
            date=row["date"], defaults={"name_es": row["name_es"], "name_en": row.get("name_en", "")}
        )
    return len(rows)
