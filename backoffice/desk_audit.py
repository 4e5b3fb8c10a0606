"""The audit pages' reading: django-simple-history records of cases, categories, procedures,
memberships and answer templates, and the contact access log. Administrators read every entity's,
supervisors their entity's. Sensitive complaints stay out for everyone: only the oversight body sees those."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Category
from catalog.models import Procedure
from entities.models import Membership

from .desk_queries import encode_cursor
from .desk_queries import parse_cursor as _cursor
from .models import AnswerTemplate, ContactAccess

PAGE_SIZE = 50

# kind -> (label, model, the column naming the entity the record belongs to)
AUDITED = {
    "cases": (_("Cases"), Case, "entity_id"),
    "categories": (_("Categories"), Category, "owner_id"),
    "procedures": (_("Procedures"), Procedure, "entity_id"),
    "memberships": (_("Memberships"), Membership, "entity_id"),
    "answer_templates": (_("Answer templates"), AnswerTemplate, "category__owner_id"),
}
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class AuditRow:
    when: datetime
    who: object
    action: str
    label: str
    changes: list[Change] = field(default_factory=list)


def history_records(kind: str, entity_ids: list[int] | None) -> QuerySet:
    """History rows of one kind; `entity_ids` None means every entity (administrators)."""
    _label, model, entity_column = AUDITED[kind]
    records = model.history.select_related("history_user")
    if entity_ids is not None:
        records = records.filter(**{f"{entity_column}__in": entity_ids})
    if model is AnswerTemplate:
        records = records.select_related("category")
    if model is Case:
        records = records.exclude(category_id__in=Category.objects.filter(sensitive=True).values("pk"))
    return records.order_by("-history_date", "-history_id")


def label_of(kind: str, record) -> str:
    if kind == "cases":
        return record.number
    if kind == "categories":
        return f"{record.code} · {record.name_es}"
    if kind == "procedures":
        return record.name
    if kind == "answer_templates":
        return f"{record.category.code if record.category else '—'} · {record.title} ({record.language})"
    user = record.user if record.user_id else None
    return f"{user.username if user else '—'} · {Membership.Role(record.role).label} · {record.entity.short_name if record.entity_id else '—'}"


def audit_page(kind: str, entity_ids: list[int] | None, *, search: str = "", before: str = "") -> tuple[list[AuditRow], str]:
    records = history_records(kind, entity_ids)
    if search and kind == "cases":
        records = records.filter(number=search)
    elif search and kind == "procedures":
        records = records.filter(Q(slug=search) | Q(name__icontains=search))
    elif search and kind == "categories":
        records = records.filter(code__iexact=search)
    elif search and kind == "answer_templates":
        records = records.filter(Q(category__code__iexact=search) | Q(title__icontains=search))
    if kind == "memberships":
        records = records.select_related("user", "entity")
    cursor = _cursor(before)
    if cursor:
        stamp, pk = cursor
        records = records.filter(Q(history_date__lt=stamp) | Q(history_date=stamp, history_id__lt=pk))
    page = list(records[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    rows = []
    for record in page:
        changes = []
        if record.history_type == "~" and record.prev_record is not None:
            delta = record.diff_against(record.prev_record)
            changes = [Change(_verbose(record, c.field), c.old, c.new) for c in delta.changes]
        rows.append(AuditRow(record.history_date, record.history_user, str(ACTIONS.get(record.history_type, "")), label_of(kind, record), changes))
    next_cursor = encode_cursor(page[-1].history_date, page[-1].history_id) if more else ""
    return rows, next_cursor


def _verbose(record, name: str) -> str:
    try:
        return str(record.instance_type._meta.get_field(name).verbose_name)
    except Exception:  # a field that no longer exists on the model
        return name


def contact_log(entity_ids: list[int] | None, *, before: str = "") -> tuple[list[ContactAccess], str]:
    rows = ContactAccess.objects.select_related("case", "user", "entity").filter(case__category__sensitive=False)
    if entity_ids is not None:
        rows = rows.filter(entity_id__in=entity_ids)
    cursor = _cursor(before)
    if cursor:
        stamp, pk = cursor
        rows = rows.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk))
    page = list(rows.order_by("-created_at", "-pk")[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    return page, (encode_cursor(page[-1].created_at, page[-1].pk) if more else "")
