"""Anonymous complaints to the oversight body: no account, no contact, no address or browser kept
anywhere, evidence allowed, and the tracking link shown exactly once."""

from __future__ import annotations

import io
import logging

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client

from cases.models import Attachment, Case, CaseContact
from portal.journey.testing import SCRIPT, jpeg_bytes, pdf_bytes, stored_files, upload
from ventanilla.testing import PASSWORD

ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.23"
BROWSER = "AgenteSecreto/7.1 (Linux; Android 14)"


@pytest.fixture
def sender():
    """A browser whose address and user agent must leave no trace."""
    return Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER, HTTP_X_FORWARDED_FOR=FORWARDED)


def complaint(**fields) -> dict:
    data = {"category_code": "DENUNCIA-CORRUPCION", "description": "El funcionario pide dinero por agilizar permisos."}
    data.update(fields)
    return data


def everything_stored() -> str:
    """The whole database as text, sessions decoded, plus the names and contents of stored files."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    sessions = "".join(str(session.get_decoded()) for session in Session.objects.all())
    files = b"".join(path.name.encode() + path.read_bytes() for path in stored_files())
    return out.getvalue() + sessions + files.decode("latin-1")


def test_the_form_asks_for_no_contact_details(client, world):
    html = client.get("/denuncia/").content.decode()

    assert "Denuncia de corrupción" in html
    for field in ("contact_name", "contact_email", "contact_phone", 'type="email"', 'type="tel"'):
        assert field not in html


def test_a_complaint_is_stored_as_an_anonymous_sensitive_case(sender, world):
    response = sender.post("/denuncia/", complaint())

    assert response["Location"] == "/denuncia/recibida/"
    case = Case.objects.get()
    assert case.category == world.corruption and case.entity == world.oversight
    assert case.is_anonymous and case.reporter_user is None
    assert not CaseContact.objects.exists()


def test_a_signed_in_complainant_is_not_linked_to_the_complaint(world):
    client = Client()
    client.login(username="charlie", password=PASSWORD)

    client.post("/denuncia/", complaint())
    client.get("/denuncia/recibida/")

    case = Case.objects.get()
    assert case.reporter_user is None
    assert not case.history.filter(history_user__isnull=False).exists(), "the audit history names the account"


def test_no_address_or_browser_is_kept_anywhere(sender, world, caplog):
    caplog.set_level(logging.DEBUG)

    sender.get("/denuncia/")
    sender.post("/denuncia/", complaint(description=""))
    sender.post("/denuncia/", {**complaint(), "photos": [upload("prueba.jpg", jpeg_bytes())]})
    sender.get("/denuncia/recibida/")
    sender.get("/denuncia/recibida/")
    sender.put("/denuncia/")

    stored = everything_stored()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for trace in (ADDRESS, FORWARDED, BROWSER, "AgenteSecreto"):
        assert trace not in stored
        assert trace not in logged
    assert any("Method Not Allowed (PUT): /denuncia/" in record.getMessage() for record in caplog.records)
    # Django's request log keeps the request object; a handler that printed it must find nothing either.
    for record in caplog.records:
        request = getattr(record, "request", None)
        if request is not None:
            assert ADDRESS not in str(request.META) and BROWSER not in str(request.META)


def test_the_tracking_link_is_shown_once_with_a_warning(sender, world):
    sender.post("/denuncia/", complaint())
    case = Case.objects.get()

    first = sender.get("/denuncia/recibida/")
    second = sender.get("/denuncia/recibida/")

    first_html, second_html = first.content.decode(), second.content.decode()
    assert case.tracking_token in first_html and case.number in first_html
    assert "no podemos volver a mostrarlo" in first_html
    assert case.tracking_token not in second_html and case.number not in second_html
    assert "ya no está disponible" in second_html
    assert 'hreflang="en"' not in first_html, "a language switch would reload the page and lose the link"
    assert first["Cache-Control"] == "no-store"
    assert first["Referrer-Policy"] == "no-referrer"


def test_the_session_keeps_no_tracking_code_once_it_was_shown(sender, world):
    sender.post("/denuncia/", complaint())
    sender.get("/denuncia/recibida/")

    assert Case.objects.get().tracking_token not in "".join(str(s.get_decoded()) for s in Session.objects.all())


def test_the_complaint_can_be_followed_only_with_its_link(sender, world):
    sender.post("/denuncia/", complaint())
    case = Case.objects.get()

    page = Client().get(f"/seguimiento/{case.tracking_token}/").content.decode()

    assert case.number in page and "Autoridad Nacional de Transparencia" in page
    assert "pide dinero" not in page


def test_evidence_can_be_photos_and_pdf_documents_none_of_them_public(sender, world):
    sender.post(
        "/denuncia/",
        {**complaint(), "photos": [upload("recibo.pdf", pdf_bytes(), "application/pdf"), upload("oficina.jpg", jpeg_bytes())]},
    )

    files = Attachment.objects.order_by("content_type")
    assert [a.content_type for a in files] == ["application/pdf", "image/jpeg"]
    assert not any(a.public for a in files)
    for attachment in files:
        assert Client().get(f"/adjuntos/{attachment.pk}/").status_code == 404


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"description": ""}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"photos": [upload("recibo.pdf", b"%PDF-1.7\n" + SCRIPT, "application/pdf")]}, "photos"),
        ({"photos": [upload("foto.jpg", SCRIPT)]}, "photos"),
        ({"photos": [upload(f"f{n}.jpg", jpeg_bytes()) for n in range(6)]}, "photos"),
    ],
)
def test_a_bad_complaint_is_refused_with_nothing_stored(sender, world, fields, field):
    html = sender.post("/denuncia/", complaint(**fields)).content.decode()

    assert f'href="#{field}"' in html
    assert not Case.objects.exists() and not Attachment.objects.exists() and stored_files() == []


def test_a_complaint_about_an_ordinary_category_is_refused(sender, world):
    html = sender.post("/denuncia/", complaint(category_code="FALTA-AGUA")).content.decode()

    assert "govuk-error-summary" in html
    assert not Case.objects.exists()


def test_with_several_complaint_kinds_the_citizen_must_choose_one(sender, world):
    from ventanilla.testing import make_category

    make_category("DENUNCIA-CONFLICTO", world.oversight, sensitive=True, anonymous_allowed=True, name_es="Conflicto de interés")

    html = sender.post("/denuncia/", complaint(category_code="")).content.decode()

    assert 'href="#category_code"' in html and "Conflicto de interés" in html
    assert not Case.objects.exists()


def test_the_confirmation_is_in_english_under_en(sender, world):
    sender.post("/en/denuncia/", complaint())

    html = sender.get("/en/denuncia/recibida/").content.decode()

    assert "we cannot show it again" in html
    assert f"/en/seguimiento/{Case.objects.get().tracking_token}/" in html
