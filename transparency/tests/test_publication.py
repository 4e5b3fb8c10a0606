"""Freezing, idempotent publication, republication with a note, and the provisional month."""

from __future__ import annotations


import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Case
from transparency.jobs import MonthNotComplete, publish_complete_months, publish_month, republish_month
from transparency.models import EntityFigures, PublishedMonth
from transparency.tests.dataset import MONTH, YEAR, at, build_month


@pytest.fixture
def march(world, settings):
    settings.TRANSPARENCY_MIN_CLOSED = 5
    return build_month(world)


def idaan_closed(published: PublishedMonth) -> int:
    return EntityFigures.objects.get(published_month=published, entity_code="IDAAN", category_code="").figures["closed"]


def test_a_published_month_does_not_change_when_old_cases_do(march, client):
    published = publish_month(YEAR, MONTH)
    # Someone resolves an old case afterwards, backdated into March.
    Case.objects.filter(pk=march.cases["W6"].pk).update(state="resolved", resolved_at=at(3, 23))

    assert idaan_closed(published) == 7
    assert publish_month(YEAR, MONTH).pk == published.pk  # idempotent: left alone
    assert PublishedMonth.objects.count() == 1
    page = client.get("/transparencia/2026/03/")
    assert b'data-revision="1"' in page.content


def test_republication_keeps_the_old_revision_and_shows_its_note(march, client):
    first = publish_month(YEAR, MONTH)
    Case.objects.filter(pk=march.cases["W6"].pk).update(state="resolved", resolved_at=at(3, 23))

    second = republish_month(YEAR, MONTH, "Corrección: un caso resuelto se registró tarde.")

    first.refresh_from_db()
    assert (first.is_current, second.is_current, second.revision) == (False, True, 2)
    assert (idaan_closed(first), idaan_closed(second)) == (7, 8)
    page = client.get("/transparencia/2026/03/").content.decode()
    assert "Corrección: un caso resuelto se registró tarde." in page and 'data-revision="2"' in page
    old = client.get("/transparencia/2026/03/?revision=1").content.decode()
    assert 'data-revision="1"' in old
    assert client.get("/transparencia/2026/03.json").json()["revision"] == 2


def test_republication_needs_a_note_and_a_published_month(march):
    with pytest.raises(ValidationError):
        republish_month(YEAR, 4, "Nota")
    publish_month(YEAR, MONTH)
    with pytest.raises(ValidationError):
        republish_month(YEAR, MONTH, "  ")
    assert PublishedMonth.objects.count() == 1


def test_the_month_in_progress_cannot_be_published_and_shows_as_provisional(world, client):
    now = timezone.localtime()
    with pytest.raises(MonthNotComplete):
        publish_month(now.year, now.month)

    page = client.get(f"/transparencia/{now.year:04d}/{now.month:02d}/")
    assert page.status_code == 200 and b"data-provisional" in page.content
    assert client.get(f"/transparencia/{now.year:04d}/{now.month:02d}.json").json()["provisional"] is True
    assert client.get("/transparencia/").status_code == 200  # nothing published: the provisional month


def test_a_month_that_has_not_started_is_not_found(world, client):
    assert client.get(f"/transparencia/{timezone.now().year + 1}/01/").status_code == 404
    assert client.get("/transparencia/2026/13/").status_code == 404


def test_every_complete_month_since_the_first_case_is_published_once(march):
    months = publish_complete_months()
    again = publish_complete_months()

    now = timezone.localtime()
    expected = (now.year - 2026) * 12 + now.month - 2  # February 2026 up to last month
    assert len(months) == expected and [m.pk for m in again] == [m.pk for m in months]
    assert (months[0].year, months[0].month) == (2026, 2)


def test_the_latest_published_month_is_the_front_page(march, client):
    publish_month(YEAR, MONTH)
    page = client.get("/transparencia/").content.decode()
    assert 'data-entity="IDAAN"' in page and "ANTAI" not in page
    en = client.get("/en/transparencia/")
    assert en.status_code == 200 and b"How public bodies" in en.content


def test_the_ranking_can_be_filtered_by_kind_and_sorted(march, client):
    publish_month(YEAR, MONTH)
    municipalities = client.get("/transparencia/2026/03/?tipo=municipality").content.decode()
    assert 'data-entity="MUNSM"' in municipalities and 'data-entity="IDAAN"' not in municipalities
    by_received = client.get("/transparencia/2026/03/?orden=received").content.decode()
    assert by_received.index('data-entity="IDAAN"') < by_received.index('data-entity="MUNSM"')
    assert client.get("/transparencia/2026/03/?orden=nonsense").status_code == 200


def test_the_entity_page_shows_trend_categories_and_peers(march, client):
    publish_month(YEAR, MONTH)
    page = client.get("/transparencia/entidades/MUNSM/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Basura no recogida" in text and "Municipio de David" in text
    assert client.get("/transparencia/entidades/ANTAI/").status_code == 404
    assert client.get("/transparencia/entidades/NOPE/").status_code == 404


def test_the_methodology_page_states_the_threshold(world, client, settings):
    settings.TRANSPARENCY_MIN_CLOSED = 12
    page = client.get("/transparencia/metodologia/")
    assert page.status_code == 200 and b"12" in page.content




def test_the_provisional_month_is_computed_again_only_when_its_cache_expires(world, client, settings):
    from django.core.cache import cache

    from ventanilla.testing import new_case

    settings.TRANSPARENCY_PROVISIONAL_SECONDS = 600
    cache.clear()
    now = timezone.localtime()
    url = f"/transparencia/{now.year:04d}/{now.month:02d}"
    before = client.get(url + ".json").json()["national"]["received"]

    new_case(world)
    page = client.get(url + "/")
    assert client.get(url + ".json").json()["national"]["received"] == before  # served from the cache
    assert b"data-computed-at" in page.content and "Calculadas el" in page.content.decode()

    cache.clear()  # what the expiry does
    assert client.get(url + ".json").json()["national"]["received"] == before + 1
