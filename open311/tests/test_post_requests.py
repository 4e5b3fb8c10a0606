"""POST requests: a key-holding integrator files a case through the same intake as the portal."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from cases.models import Case, CaseContact, CaseEvent, CategoryAttribute, Channel
from open311 import services
from open311.models import ApiKey, Submission
from open311.tests.helpers import API, FORMATS, errors, form, items, post
from ventanilla.testing import OUTSIDE, SAN_MIGUELITO


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_files_a_case_routed_like_the_portal(client, world, api_key, fmt):
    response = post(client, fmt, form(world, api_key=api_key.raw))
    (receipt,) = items(response, fmt)
    case = Case.objects.get(number=receipt["service_request_id"])
    assert case.category == world.water and case.entity == world.idaan
    assert case.channel == Channel.API
    assert case.events.filter(kind=CaseEvent.Kind.CREATED, channel=Channel.API).exists()
    assert case.open311_submission.api_key == api_key
    assert case.open311_submission.token == receipt["token"]


def test_a_mobile_key_files_cases_on_the_mobile_channel(client, world):
    key, raw = ApiKey.issue("App 311 Panamá", ApiKey.Channel.MOBILE)
    (receipt,) = items(post(client, "json", form(world, api_key=raw)), "json")
    assert Case.objects.get(number=receipt["service_request_id"]).channel == Channel.MOBILE


def test_the_reporter_details_go_to_the_case_contact(client, world, api_key):
    data = form(world, api_key=api_key.raw, first_name="Ana", last_name="Pérez", email="ana@example.com", phone="6123-4567")
    (receipt,) = items(post(client, "json", data), "json")
    contact = CaseContact.objects.get(case__number=receipt["service_request_id"])
    assert (contact.name, contact.email, contact.phone) == ("Ana Pérez", "ana@example.com", "6123-4567")


def test_an_english_client_is_answered_and_contacted_in_english(client, world, api_key):
    data = form(world, api_key=api_key.raw, email="ana@example.com", locale="en_US")
    (receipt,) = items(post(client, "json", data), "json")
    assert CaseContact.objects.get(case__number=receipt["service_request_id"]).language == "en"
    response = post(client, "json", form(world, api_key=api_key.raw, service_code="NO-SUCH", locale="en"))
    assert errors(response, "json")[0][1].startswith("service_code: Unknown service")
    response = post(client, "json", form(world, api_key=api_key.raw, service_code="NO-SUCH"), HTTP_ACCEPT_LANGUAGE="en")
    assert errors(response, "json")[0][1].startswith("service_code: Unknown service")


def test_errors_are_in_spanish_by_default(client, world, api_key):
    response = post(client, "xml", form(world, api_key=api_key.raw, service_code="NO-SUCH"))
    assert errors(response, "xml")[0][1].startswith("service_code: Servicio desconocido")


def test_attributes_and_multivaluelist_answers_are_stored(client, world, api_key):
    CategoryAttribute.objects.create(
        category=world.rubbish, code="materiales", datatype="multivaluelist", order=3,
        description_es="¿Qué materiales?", description_en="Which materials?",
        values=[{"key": "vidrio", "name_es": "Vidrio"}, {"key": "papel", "name_es": "Papel"}, {"key": "metal", "name_es": "Metal"}],
    )
    data = form(world, api_key=api_key.raw, service_code=world.rubbish.code)
    data.update({"attribute[tipo_desecho]": "voluminoso", "attribute[dias_sin_recoleccion]": "4",
                 "attribute[materiales][]": ["vidrio", "metal"]})
    (receipt,) = items(post(client, "xml", data), "xml")
    case = Case.objects.get(number=receipt["service_request_id"])
    assert case.attributes == {"tipo_desecho": "voluminoso", "dias_sin_recoleccion": 4, "materiales": ["vidrio", "metal"]}
    assert case.entity == world.san_miguelito


def test_an_address_string_alone_is_a_location(client, world, api_key):
    data = form(world, api_key=api_key.raw, lat=None, long=None, address_string="Calle 50, Bella Vista, Panamá")
    (receipt,) = items(post(client, "json", data), "json")
    case = Case.objects.get(number=receipt["service_request_id"])
    assert case.address == "Calle 50, Bella Vista, Panamá" and case.lat is None


def test_the_media_url_sent_is_published_when_no_photo_was_uploaded(client, world, api_key):
    data = form(world, api_key=api_key.raw, media_url="https://fotos.example.org/fuga.jpg")
    (receipt,) = items(post(client, "json", data), "json")
    (request,) = items(client.get(f"{API}/requests/{receipt['service_request_id']}.json"), "json")
    assert request["media_url"] == "https://fotos.example.org/fuga.jpg"


# --- Errors: the caller's format, the right status, the field named, nothing stored ----------------


def assert_rejected(response, fmt: str, status: int, *fragments: str) -> None:
    assert response.status_code == status, response.content
    descriptions = " | ".join(description for _, description in errors(response, fmt))
    assert all(code == status for code, _ in errors(response, fmt))
    for fragment in fragments:
        assert fragment in descriptions, descriptions
    assert not Case.objects.filter(channel__in=[Channel.API, Channel.MOBILE]).exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_api_key_is_refused_with_403(client, world, fmt):
    assert_rejected(post(client, fmt, form(world)), fmt, 403, "api_key")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wrong_api_key_is_refused_with_403(client, world, api_key, fmt):
    assert_rejected(post(client, fmt, form(world, api_key=api_key.raw + "x")), fmt, 403, "api_key")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_revoked_key_is_refused_and_other_keys_keep_working(client, world, api_key, fmt):
    other, other_raw = ApiKey.issue("Otra integración")
    api_key.revoke()
    assert_rejected(post(client, fmt, form(world, api_key=api_key.raw)), fmt, 403, "api_key")
    assert post(client, fmt, form(world, api_key=other_raw)).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_service_code_is_a_400_naming_it(client, world, api_key, fmt):
    assert_rejected(post(client, fmt, form(world, api_key=api_key.raw, service_code="")), fmt, 400, "service_code:")


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_is_a_400(client, world, api_key, fmt):
    assert_rejected(post(client, fmt, form(world, api_key=api_key.raw, service_code="NO-EXISTE")), fmt, 400, "service_code:")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_sensitive_service_cannot_be_filed_through_open311(client, world, api_key, fmt):
    data = form(world, api_key=api_key.raw, service_code=world.corruption.code)
    assert_rejected(post(client, fmt, data), fmt, 400, "service_code:")


def test_an_unlisted_service_cannot_be_filed_through_open311(client, world, api_key):
    world.flooding.public = False
    world.flooding.save()
    data = form(world, api_key=api_key.raw, service_code=world.flooding.code)
    assert_rejected(post(client, "json", data), "json", 400, "service_code:")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_description_is_a_400_naming_it(client, world, api_key, fmt):
    assert_rejected(post(client, fmt, form(world, api_key=api_key.raw, description="  ")), fmt, 400, "description:")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_location_is_a_400(client, world, api_key, fmt):
    data = form(world, api_key=api_key.raw, lat=None, long=None)
    assert_rejected(post(client, fmt, data), fmt, 400, "lat/long:")


def test_an_address_id_alone_is_refused_because_there_is_no_address_registry(client, world, api_key):
    data = form(world, api_key=api_key.raw, lat=None, long=None, address_id="545483")
    assert_rejected(post(client, "json", data), "json", 400, "address_id:")


def test_a_latitude_without_longitude_is_a_400(client, world, api_key):
    assert_rejected(post(client, "xml", form(world, api_key=api_key.raw, long=None)), "xml", 400, "lat/long:")


def test_a_location_abroad_is_a_400(client, world, api_key):
    data = form(world, api_key=api_key.raw, lat=str(OUTSIDE[0]), long=str(OUTSIDE[1]))
    assert_rejected(post(client, "json", data), "json", 400, "lat/long:")


def test_every_problem_is_reported_at_once(client, world, api_key):
    data = form(world, api_key=api_key.raw, service_code=world.rubbish.code, email="no-es-correo", phone="12")
    data["attribute[dias_sin_recoleccion]"] = "muchos"
    assert_rejected(
        post(client, "json", data), "json", 400,
        "email:", "phone:", "attribute[tipo_desecho]:", "attribute[dias_sin_recoleccion]:",
    )


def test_a_bad_media_url_is_a_400(client, world, api_key):
    data = form(world, api_key=api_key.raw, media_url="javascript:alert(1)")
    assert_rejected(post(client, "json", data), "json", 400, "media_url:")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wrong_jurisdiction_is_a_404(client, world, api_key, fmt):
    data = form(world, api_key=api_key.raw, jurisdiction_id="sfgov.org")
    assert_rejected(post(client, fmt, data), fmt, 404, "jurisdiction_id")


def test_the_right_jurisdiction_is_accepted(client, world, api_key, settings):
    data = form(world, api_key=api_key.raw, jurisdiction_id=settings.OPEN311_JURISDICTION_ID)
    assert post(client, "json", data).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_too_many_posts_with_one_key_get_429_and_other_keys_do_not(client, world, api_key, settings, fmt, monkeypatch):
    settings.OPEN311_POSTS_PER_MINUTE = 2
    # The limit counts per clock minute: on a slow machine the three POSTs could straddle a minute
    # boundary and the third would rightly be accepted. Hold the limiter's clock 20 s into a minute.
    stopped = (time.time() // 60) * 60 + 20
    monkeypatch.setattr(services, "time", SimpleNamespace(time=lambda: stopped))
    assert post(client, fmt, form(world, api_key=api_key.raw)).status_code == 200
    assert post(client, fmt, form(world, api_key=api_key.raw)).status_code == 200
    response = post(client, fmt, form(world, api_key=api_key.raw))
    assert response.status_code == 429
    assert errors(response, fmt)[0][0] == 429 and "api_key" in errors(response, fmt)[0][1]
    assert response["Retry-After"] == "40"
    assert Submission.objects.filter(api_key=api_key).count() == 2
    _other, other_raw = ApiKey.issue("Otra integración")
    assert post(client, fmt, form(world, api_key=other_raw)).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_other_methods_get_405_in_the_callers_format(client, world, fmt):
    response = client.put(f"{API}/requests.{fmt}")
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert errors(response, fmt)[0][0] == 405
    assert client.post(f"{API}/services.{fmt}").status_code == 405


def test_the_post_needs_no_csrf_token(world, api_key):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post(strict, "json", form(world, api_key=api_key.raw)).status_code == 200


def test_citizen_text_with_markup_and_emoji_comes_back_intact_in_both_formats(client, world, api_key):
    text = 'Fuga <b>grande</b> & "peligrosa" en la esquina 💧🚰 — ¡ayuda!'
    (receipt,) = items(post(client, "xml", form(world, api_key=api_key.raw, description=text)), "xml")
    number = receipt["service_request_id"]
    assert items(client.get(f"{API}/requests/{number}.xml"), "xml")[0]["description"] == text
    assert items(client.get(f"{API}/requests/{number}.json"), "json")[0]["description"] == text
    assert "&lt;b&gt;grande&lt;/b&gt; &amp;" in client.get(f"{API}/requests/{number}.xml").content.decode()


def test_the_location_is_stored_as_sent(client, world, api_key):
    (receipt,) = items(post(client, "json", form(world, api_key=api_key.raw)), "json")
    case = Case.objects.get(number=receipt["service_request_id"])
    assert (case.lat, case.lon) == SAN_MIGUELITO
