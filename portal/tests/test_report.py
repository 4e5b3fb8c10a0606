"""Reporting a problem through /reportar/ with the HTTP client: the pages a citizen without JavaScript
uses, the receipt, and every way a submission can be refused with nothing stored."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cases.models import Attachment, Case, CaseContact, CaseEvent, CategoryAttribute, Channel
from entities.models import District
from portal.journey.testing import SCRIPT, jpeg_bytes, stored_files, upload
from ventanilla.testing import DAVID, OUTSIDE, PASSWORD, make_category

FORM = "/reportar/BASURA-NO-RECOGIDA/"


def rubbish(**fields) -> dict:
    data = {"description": "La basura lleva una semana en la esquina.", "attr_tipo_desecho": "domestico"}
    data.update(fields)
    return data


def district_code(name: str) -> str:
    return District.objects.get(name=name).code


def assert_nothing_stored() -> None:
    assert Case.objects.count() == 0
    assert CaseContact.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files() == []


def error_summary(response) -> str:
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html, "no error summary on the page"
    return html


# --- Choosing the category --------------------------------------------------------------------


def test_the_first_page_lists_the_categories_by_group_without_the_sensitive_ones(client, world):
    response = client.get("/reportar/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Basura no recogida" in html and "Falta de agua" in html
    assert 'name="categoria" type="radio" value="FALTA-AGUA"' in html
    assert "DENUNCIA-CORRUPCION" not in html
    assert 'href="/denuncia/"' in html


def test_the_first_page_is_in_english_under_en(client, world):
    html = client.get("/en/reportar/").content.decode()

    assert "Uncollected rubbish" in html and "What do you want to report?" in html
    assert '<html lang="en"' in html


def test_choosing_a_category_opens_its_form_in_the_same_language(client, world):
    assert client.get("/reportar/", {"categoria": "FALTA-AGUA"})["Location"] == "/reportar/FALTA-AGUA/"
    assert client.get("/en/reportar/", {"categoria": "FALTA-AGUA"})["Location"] == "/en/reportar/FALTA-AGUA/"


def test_continuing_without_choosing_says_what_to_do(client, world):
    response = client.get("/reportar/", {"categoria": ""})

    html = error_summary(response)
    assert 'href="#categoria"' in html
    assert "Elija qué quiere reportar." in html


def test_a_sensitive_or_unknown_category_has_no_report_form(client, world):
    assert client.get("/reportar/DENUNCIA-CORRUPCION/").status_code == 404
    response = client.get("/reportar/NO-EXISTE/")
    assert response.status_code == 404
    assert "No encontramos" in response.content.decode()


def test_the_form_asks_each_extra_question_with_a_matching_input(client, world):
    category = make_category("PRUEBA", world.idaan, name_es="Prueba", name_en="Test")
    Datatype = CategoryAttribute.Datatype
    values = [{"key": "a", "name_es": "Opción A", "name_en": "Option A"}, {"key": "b", "name_es": "Opción B", "name_en": "Option B"}]
    for order, datatype in enumerate(Datatype.values):
        CategoryAttribute.objects.create(
            category=category, code=datatype, datatype=datatype, order=order,
            description_es=f"Pregunta {datatype}", description_en=f"Question {datatype}",
            values=values if "list" in datatype else [],
        )

    html = client.get(f"/reportar/{category.code}/").content.decode()

    assert re.search(r'<input class="govuk-input[^"]*" id="attr_string" name="attr_string"\s+type="text"', html)
    assert re.search(r'id="attr_number" name="attr_number"\s+type="text" inputmode="decimal"', html)
    assert re.search(r'id="attr_datetime" name="attr_datetime"\s+type="datetime-local"', html)
    assert '<textarea class="govuk-textarea" id="attr_text" name="attr_text"' in html
    assert 'id="attr_singlevaluelist" name="attr_singlevaluelist" type="radio" value="a"' in html
    assert 'id="attr_multivaluelist-2" name="attr_multivaluelist" type="checkbox" value="b"' in html
    assert "Opción B" in html


def test_the_form_works_without_javascript_with_a_district_list_by_province(client, world):
    html = client.get(FORM).content.decode()

    assert '<select class="govuk-select" id="district" name="district">' in html
    assert '<optgroup label="Panamá Oeste">' in html or "<optgroup" in html
    assert f'<option value="{district_code("San Miguelito")}">San Miguelito</option>' in html
    assert 'enctype="multipart/form-data"' in html
    assert "leaflet.js" not in html.split("data-script=")[0], "the map library must not load with the page"


# --- Filing -----------------------------------------------------------------------------------


def test_a_report_with_a_district_goes_to_its_municipality_and_shows_the_receipt(client, world):
    response = client.post(FORM, rubbish(district=district_code("San Miguelito"), address="Calle 3, frente al kiosco"))

    assert response.status_code == 302 and response["Location"] == "/reportar/recibido/"
    case = Case.objects.get()
    assert case.entity == world.san_miguelito
    assert case.channel == Channel.WEB
    assert case.attributes == {"tipo_desecho": "domestico"}
    assert case.address == "Calle 3, frente al kiosco"
    page = client.get("/reportar/recibido/").content.decode()
    assert case.number in page
    assert f"http://testserver/seguimiento/{case.tracking_token}/" in page
    assert "Municipio de San Miguelito" in page
    assert "govuk-panel--confirmation" in page


def test_a_report_with_a_map_pin_and_photos_keeps_them_together(client, world):
    photos = [upload(f"foto{n}.jpg", jpeg_bytes()) for n in range(2)]

    client.post(FORM, {**rubbish(lat=str(DAVID[0]), lon=str(DAVID[1])), "photos": photos})

    case = Case.objects.get()
    assert case.entity == world.david and case.district.name == "David"
    assert case.attachments.count() == 2 and len(stored_files()) == 2
    assert all(a.public and a.content_type == "image/jpeg" for a in case.attachments.all())


def test_a_signed_in_citizen_is_recorded_as_the_reporter(client, world):
    client.login(username="charlie", password=PASSWORD)

    client.post(FORM, rubbish())

    assert Case.objects.get().reporter_user == world.charlie


def test_contact_details_are_kept_apart_and_never_shown_back(client, world):
    client.post(
        FORM,
        rubbish(contact_name="María Quintero", contact_email="maria@example.com", contact_phone="6123-4567"),
    )

    case = Case.objects.get()
    assert (case.contact.name, case.contact.email, case.contact.phone) == ("María Quintero", "maria@example.com", "6123-4567")
    for url in ["/reportar/recibido/", "/reportar/recibido/comprobante/", "/reportar/recibido/comprobante.txt", f"/seguimiento/{case.tracking_token}/"]:
        page = client.get(url).content.decode()
        for personal in ("María", "maria@example.com", "6123-4567"):
            assert personal not in page, (url, personal)


def test_the_text_receipt_is_a_download_with_the_number_and_the_tracking_link(client, world):
    client.post(FORM, rubbish())
    case = Case.objects.get()

    response = client.get("/reportar/recibido/comprobante.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert case.number in text and f"http://testserver/seguimiento/{case.tracking_token}/" in text
    assert "Número de caso" in text


def test_the_printable_receipt_shows_the_tracking_code(client, world):
    client.post(FORM, rubbish())
    case = Case.objects.get()

    page = client.get("/reportar/recibido/comprobante/").content.decode()

    assert case.tracking_token in page and case.number in page


def test_the_receipt_is_only_shown_to_the_browser_that_filed_the_report(client, world):
    client.post(FORM, rubbish())
    stranger = Client()

    page = stranger.get("/reportar/recibido/").content.decode()

    assert Case.objects.get().number not in page
    assert stranger.get("/reportar/recibido/comprobante.txt").status_code == 404


def test_an_anonymous_report_where_the_category_allows_it_keeps_no_reporter(client, world):
    world.water.anonymous_allowed = True
    world.water.save()
    client.login(username="charlie", password=PASSWORD)

    response = client.post("/reportar/FALTA-AGUA/", {"description": "Sin agua en todo el sector.", "anonymous": "on"})

    case = Case.objects.get()
    assert case.is_anonymous and case.reporter_user is None
    assert not CaseContact.objects.exists()
    assert not case.history.filter(history_user__isnull=False).exists(), "the audit history names the account"
    assert response["Location"] == "/reportar/recibido/anonimo/"


def test_the_receipt_of_an_anonymous_report_is_shown_once(client, world):
    world.water.anonymous_allowed = True
    world.water.save()
    client.post("/reportar/FALTA-AGUA/", {"description": "Sin agua en todo el sector.", "anonymous": "on"})
    case = Case.objects.get()

    first = client.get("/reportar/recibido/anonimo/").content.decode()
    again = client.get("/reportar/recibido/anonimo/").content.decode()
    elsewhere = client.get("/reportar/recibido/").content.decode()

    assert case.tracking_token in first and "Reporte recibido" in first and "Falta de agua" in first
    assert case.tracking_token not in again and case.number not in again
    assert case.number not in elsewhere


def test_the_anonymous_option_is_only_offered_where_the_category_allows_it(client, world):
    assert 'name="anonymous"' not in client.get(FORM).content.decode()
    world.water.anonymous_allowed = True
    world.water.save()
    assert 'name="anonymous"' in client.get("/reportar/FALTA-AGUA/").content.decode()


# --- Refusals: a clear message, nothing stored ------------------------------------------------


def test_a_description_of_4001_characters_is_refused(client, world):
    response = client.post(FORM, rubbish(description="x" * 4001))

    html = error_summary(response)
    assert 'href="#description"' in html
    assert "4001" in html and "4000" in html
    assert "Demasiado largo" in html
    assert_nothing_stored()


def test_a_description_of_4001_characters_is_refused_in_english_under_en(client, world):
    html = error_summary(client.post("/en" + FORM, rubbish(description="x" * 4001)))

    assert "Too long: 4001 characters, the limit is 4000." in html
    assert_nothing_stored()


def test_a_missing_required_answer_is_refused_next_to_its_question(client, world):
    html = error_summary(client.post(FORM, rubbish(attr_tipo_desecho="")))

    assert 'href="#attr_tipo_desecho"' in html
    assert 'id="attr_tipo_desecho-error"' in html
    assert_nothing_stored()


def test_a_pin_outside_the_country_is_refused(client, world):
    html = error_summary(client.post(FORM, rubbish(lat=str(OUTSIDE[0]), lon=str(OUTSIDE[1]))))

    assert 'href="#location"' in html and 'id="location-error"' in html
    assert_nothing_stored()


def test_a_made_up_pin_or_district_is_refused(client, world):
    error_summary(client.post(FORM, rubbish(lat="north", lon="-79.5")))
    error_summary(client.post(FORM, rubbish(district="atlantis")))

    assert_nothing_stored()


def test_a_sixth_photo_is_refused_and_none_is_kept(client, world):
    photos = [upload(f"foto{n}.jpg", jpeg_bytes()) for n in range(6)]

    html = error_summary(client.post(FORM, {**rubbish(), "photos": photos}))

    assert 'href="#photos"' in html and "5" in html
    assert_nothing_stored()


def test_a_script_renamed_to_jpg_rejects_the_whole_report(client, world):
    photos = [upload("bien.jpg", jpeg_bytes()), upload("foto.jpg", SCRIPT)]

    html = error_summary(client.post(FORM, {**rubbish(), "photos": photos}))

    assert "foto.jpg" in html
    assert_nothing_stored()


def test_an_oversized_photo_rejects_the_whole_report(client, world, settings):
    settings.CASE_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    big = jpeg_bytes() + b"\0" * settings.CASE_MAX_UPLOAD_BYTES

    html = error_summary(client.post(FORM, {**rubbish(), "photos": [upload("grande.jpg", big)]}))

    assert "grande.jpg" in html and "2 MB" in html
    assert_nothing_stored()


def test_a_polyglot_photo_is_accepted_with_its_payload_removed(client, world):
    polyglot = jpeg_bytes() + b"<html>" + SCRIPT

    client.post(FORM, {**rubbish(), "photos": [upload("foto.jpg", polyglot)]})

    [path] = stored_files()
    assert b"pwned" not in path.read_bytes()


def test_contact_details_in_the_wrong_shape_are_refused(client, world):
    html = error_summary(client.post(FORM, rubbish(contact_email="maria@", contact_phone="llámame")))

    assert 'href="#contact_email"' in html and 'href="#contact_phone"' in html
    assert_nothing_stored()


def test_an_anonymous_report_with_contact_details_is_refused(client, world):
    world.water.anonymous_allowed = True
    world.water.save()

    html = error_summary(
        client.post("/reportar/FALTA-AGUA/", {"description": "Sin agua.", "anonymous": "on", "contact_email": "a@b.pa"})
    )

    assert 'href="#anonymous"' in html
    assert_nothing_stored()


def test_every_problem_is_listed_at_once_in_page_order(client, world):
    photos = [upload("foto.jpg", SCRIPT)]
    html = error_summary(client.post(FORM, {**rubbish(description="", attr_tipo_desecho=""), "photos": photos}))

    links = re.findall(r'<li><a href="#([a-z_]+)">', html)
    assert links == ["description", "attr_tipo_desecho", "photos"]


def test_after_a_refusal_the_citizen_is_told_to_choose_the_photos_again(client, world):
    response = client.post(FORM, {**rubbish(description=""), "photos": [upload("bien.jpg", jpeg_bytes())]})

    assert "govuk-inset-text" in response.content.decode()
    assert_nothing_stored()


def test_the_answers_given_are_kept_in_the_form_after_a_refusal(client, world):
    html = client.post(FORM, rubbish(description="", address="Calle 50", contact_email="ana@example.com")).content.decode()

    assert 'value="Calle 50"' in html and 'value="ana@example.com"' in html
    assert 'value="domestico" checked' in html


def test_when_a_file_cannot_be_written_the_case_is_not_kept_either(world, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("the disk is full, or read-only")
    settings.MEDIA_ROOT = blocked
    client = Client(raise_request_exception=False)

    response = client.post(FORM, {**rubbish(), "photos": [upload("bien.jpg", jpeg_bytes())]})

    assert response.status_code == 500
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_form_only_answers_get_and_post(client, world, method):
    assert getattr(client, method)(FORM).status_code == 405
