"""The case page: timeline (public and internal told apart), attribute answers, map fallback, files through
the staff attachment view, the contact hidden until "show contact" (each viewing logged), nearby cases."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from backoffice.models import ContactAccess
from cases.models import Attachment, Case
from cases.services import Actor, add_comment
from ventanilla.testing import SAN_MIGUELITO, new_case

from .core_fixtures import as_user, office, rubbish  # noqa: F401


def page(client, case):
    response = client.get(f"/oficina/casos/{case.number}/")
    assert response.status_code == 200
    return response.content.decode()


def attach(case, *, public=True, content=b"GIF89a-fake-image") -> Attachment:
    item = Attachment(case=case, content_type="image/gif", size=len(content), public=public)
    item.file.save("foto.gif", ContentFile(content), save=True)
    return item


def test_the_timeline_shows_public_and_internal_entries_differently(office, world, rubbish):
    add_comment(rubbish, Actor(world.alice), "El camión está averiado.", public=False)
    add_comment(rubbish, Actor(world.alice), "Pasaremos el lunes.", public=True)
    html = page(office, rubbish)
    assert html.count('data-public="true"') == 3  # created, routed, public comment
    assert html.count('data-public="false"') == 1
    assert "vt-timeline__entry--internal" in html and "El camión está averiado." in html
    assert "alice" in html  # staff see who did what


def test_attribute_answers_sla_and_map_fallback(office, world, rubbish):
    html = page(office, rubbish)
    assert "¿Qué tipo de desecho?" in html and "Doméstico" in html
    assert 'data-level="on_track"' in html or 'data-level="due_soon"' in html
    assert "openstreetmap.org/?mlat=" in html and "data-case-map" in html


def test_files_are_served_to_staff_who_see_the_case_only(office, world, client, rubbish):
    hidden = attach(rubbish, public=False)
    html = page(office, rubbish)
    assert f"/oficina/adjuntos/{hidden.pk}/" in html and "data-hidden" in html
    response = office.get(f"/oficina/adjuntos/{hidden.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"GIF89a")
    assert response["Cache-Control"] == "private, no-store"
    # The public photo address refuses a hidden file.
    assert client.get(f"/adjuntos/{hidden.pk}/").status_code == 404
    as_user(office, world.bob)
    assert office.get(f"/oficina/adjuntos/{hidden.pk}/").status_code == 404


def test_the_contact_is_hidden_until_asked_for_and_every_viewing_is_logged(office, world, rubbish):
    html = page(office, rubbish)
    assert "Juan Pérez" not in html and "6123-4567" not in html.split("data-description")[0]
    assert "data-show-contact" in html
    for _ in range(2):
        response = office.post(f"/oficina/casos/{rubbish.number}/contacto/")
        assert response.status_code == 200
        assert "Juan Pérez" in response.content.decode() and "juan@example.invalid" in response.content.decode()
        assert response["Cache-Control"] == "no-store"
    log = list(ContactAccess.objects.filter(case=rubbish))
    assert len(log) == 2 and {row.user for row in log} == {world.alice} and {row.entity for row in log} == {world.san_miguelito}
    # A reload of the page does not show it again.
    assert "Juan Pérez" not in page(office, rubbish)


def test_who_may_not_see_the_contact_gets_no_button_and_no_log(office, world, rubbish):
    as_user(office, world.admin)  # administrators see the case but not personal data
    assert "data-show-contact" not in page(office, rubbish)
    response = office.post(f"/oficina/casos/{rubbish.number}/contacto/")
    assert response.status_code == 403 and "Juan Pérez" not in response.content.decode()
    assert not ContactAccess.objects.exists()


def test_an_anonymous_complaint_says_no_reporter_data_exists(client, world):
    from backoffice.testing import login_verified

    complaint = new_case(world, world.corruption, point=None, is_anonymous=True, description="Cobran por un trámite gratuito.")
    login_verified(client, world.investigator)
    assert "data-anonymous" in page(client, complaint)


def test_related_cases_nearby_are_same_category_within_200_m_and_30_days(office, world, rubbish):
    close = new_case(world, world.rubbish, point=(SAN_MIGUELITO[0] + 0.0009, SAN_MIGUELITO[1]))  # ~100 m north
    far = new_case(world, world.rubbish, point=(SAN_MIGUELITO[0] + 0.004, SAN_MIGUELITO[1]))  # ~450 m
    old = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=45))
    other_kind = new_case(world, world.water, point=SAN_MIGUELITO)
    html = page(office, rubbish)
    nearby = html.split("data-nearby")[1].split("</ul>")[0] if "data-nearby" in html else ""
    assert close.number in nearby
    assert far.number not in nearby and old.number not in nearby and other_kind.number not in nearby
    assert "100 m" in nearby
