"""Oversight investigators: sensitive complaints only, their attachments, and an honest page when the
complaint is anonymous. Nobody else opens these pages."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from backoffice.models import ContactAccess
from cases.models import Attachment
from ventanilla.testing import new_case

from .helpers import login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def complaints(world):
    anonymous = new_case(world, world.corruption, point=None, is_anonymous=True, description="Cobran por un trámite gratuito.")
    identified = new_case(
        world, world.corruption, point=None, description="Me pidieron dinero.", contact_email="testigo@example.invalid",
        contact_name="Testigo Valiente",
    )
    evidence = Attachment.objects.create(
        case=anonymous, file=ContentFile(PDF, name="recibo.pdf"), content_type="application/pdf", size=len(PDF), public=False
    )
    return {"anonymous": anonymous, "identified": identified, "evidence": evidence}


def test_an_investigator_sees_the_sensitive_complaints_only(client, world, complaints):
    ordinary = new_case(world)
    response = login(client, world.investigator).get(reverse("backoffice:desk_oversight"))
    assert response.status_code == 200
    numbers = {c.number for c in response.context["cases"]}
    assert numbers == {complaints["anonymous"].number, complaints["identified"].number}
    assert ordinary.number not in response.content.decode()
    assert client.get(reverse("backoffice:desk_oversight_case", args=[ordinary.number])).status_code == 404


def test_an_anonymous_complaint_says_no_reporter_data_exists(client, world, complaints):
    response = login(client, world.investigator).get(
        reverse("backoffice:desk_oversight_case", args=[complaints["anonymous"].number])
    )
    body = response.content.decode()
    assert "no reporter data exists" in body or "no existen datos del denunciante" in body
    assert "Show contact" not in body and "Mostrar contacto" not in body
    assert client.post(reverse("backoffice:desk_oversight_contact", args=[complaints["anonymous"].number])).status_code == 404
    assert ContactAccess.objects.count() == 0


def test_the_complainants_contact_is_shown_on_request_and_the_viewing_recorded(client, world, complaints):
    identified = complaints["identified"]
    login(client, world.investigator)
    page = client.get(reverse("backoffice:desk_oversight_case", args=[identified.number])).content.decode()
    assert "testigo@example.invalid" not in page
    shown = client.post(reverse("backoffice:desk_oversight_contact", args=[identified.number])).content.decode()
    assert "testigo@example.invalid" in shown and "Testigo Valiente" in shown
    access = ContactAccess.objects.get()
    assert (access.case, access.user, access.entity) == (identified, world.investigator, world.oversight)


def test_an_investigator_opens_the_complaints_attachment(client, world, complaints):
    login(client, world.investigator)
    page = client.get(reverse("backoffice:desk_oversight_case", args=[complaints["anonymous"].number])).content.decode()
    url = reverse("backoffice:desk_oversight_attachment", args=[complaints["anonymous"].number, complaints["evidence"].pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    # The attachment under another complaint's number is not found.
    other = reverse("backoffice:desk_oversight_attachment", args=[complaints["identified"].number, complaints["evidence"].pk])
    assert client.get(other).status_code == 404


@pytest.mark.parametrize("who", ["alice", "supervisor", "agent", "admin", "operator", "charlie"])
def test_nobody_else_opens_a_complaint_its_contact_or_its_files(client, world, complaints, who):
    login(client, getattr(world, who))
    anonymous, identified = complaints["anonymous"], complaints["identified"]
    assert client.get(reverse("backoffice:desk_oversight")).status_code == 403
    assert client.get(reverse("backoffice:desk_oversight_case", args=[anonymous.number])).status_code == 403
    attachment = reverse("backoffice:desk_oversight_attachment", args=[anonymous.number, complaints["evidence"].pk])
    assert client.get(attachment).status_code == 403
    assert client.post(reverse("backoffice:desk_oversight_contact", args=[identified.number])).status_code == 403
    assert ContactAccess.objects.count() == 0


def test_a_forged_complaint_number_is_a_404(client, world, complaints):
    login(client, world.investigator)
    assert client.get(reverse("backoffice:desk_oversight_case", args=["2026-999999"])).status_code == 404
    assert client.get(reverse("backoffice:desk_oversight_attachment", args=[complaints["anonymous"].number, 999999])).status_code == 404
