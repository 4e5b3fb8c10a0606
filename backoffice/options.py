"""The options of the back office's big selects (every category, district and entity), written once per
language and kept in this process. The queue page carries three such lists and the case page two: reading
them from the database and escaping some 200 options on every view was a fifth of each page's CPU time,
for lists that change a few times a year.

Any change to a category, district, province or entity made through the ORM (the admin, the loaders, the
supervisors' pages) gives the lists a new version in Django's cache, which each page reads: with Redis
(production) every process rebuilds its lists at its next page. Writes that bypass the ORM's signals
(`queryset.update()`, SQL) and, with the in-memory cache of the embedded set-up, another process's
writes show after at most MAX_AGE seconds.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from .widgets import Option, OptionList

VERSION_KEY = "backoffice:options:version"
MAX_AGE = 300

# (list name, language) -> (version, built at, options)
_built: dict[tuple[str, str], tuple[str, float, tuple[Option, ...]]] = {}


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        # Never a value used before (the cache was emptied or restarted): lists built under an old
        # version must not match it.
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(VERSION_KEY)
    return current


def changed(**_kwargs) -> None:
    """Signal receiver: the lists are out of date. Now, for this process and the rest of the transaction;
    and again at commit, because another process may have rebuilt its lists from the data before it."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))


def connect() -> None:
    from cases.models import Category
    from entities.models import District, Entity, Province

    for model in (Category, District, Province, Entity):
        post_save.connect(changed, sender=model, dispatch_uid=f"backoffice.options.{model.__name__}.save")
        post_delete.connect(changed, sender=model, dispatch_uid=f"backoffice.options.{model.__name__}.delete")


def _cached(name: str, build: Callable[[], Iterable[Option]]) -> tuple[Option, ...]:
    language = get_language() or settings.LANGUAGE_CODE
    current = version()
    kept = _built.get((name, language))
    if kept and kept[0] == current and time.monotonic() - kept[1] < MAX_AGE:
        return kept[2]
    options = tuple(build())
    _built[(name, language)] = (current, time.monotonic(), options)
    return options


def _categories() -> Iterable[Option]:
    from cases.models import Category

    # Labels as ModelChoiceField writes them (str(category): the name in the active language).
    for category in Category.objects.only("pk", "code", "name_es", "name_en", "active", "sensitive").order_by("group_es", "name_es", "pk"):
        yield Option(category.code, str(category), pk=category.pk, active=category.active, sensitive=category.sensitive)


def _districts() -> Iterable[Option]:
    from entities.models import District

    for code, name, province in District.objects.order_by("name", "pk").values_list("code", "name", "province__name"):
        yield Option(code, f"{name} ({province})")  # District.__str__


def _entities() -> Iterable[Option]:
    from entities.models import Entity

    for entity in Entity.objects.active().only("pk", "code", "name", "acronym").order_by("name", "pk"):
        yield Option(entity.code, str(entity), pk=entity.pk)


def categories(empty_label=None, *, active_only: bool = False, sensitive: bool | None = None, exclude_pk=None) -> OptionList:
    """Every category (the queue's filter), or the active ones of one sensitivity but one (change category)."""
    options = [
        option
        for option in _cached("categories", _categories)
        if (option.active or not active_only) and (sensitive is None or option.sensitive == sensitive) and option.pk != exclude_pk
    ]
    return OptionList(options, empty_label)


def districts(empty_label=None) -> OptionList:
    return OptionList(_cached("districts", _districts), empty_label)


def entities(empty_label=None, *, exclude_pk=None) -> OptionList:
    """The active entities by name (bulk and single transfer), the case's own left out if given."""
    return OptionList([option for option in _cached("entities", _entities) if option.pk != exclude_pk], empty_label)
