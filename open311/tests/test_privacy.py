"""No GET answer ever carries a reporter's personal data, in either format."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case
from open311.tests.helpers import API, FORMATS, form, items, post
from open311.tests.test_media import photo_with_gps

PERSONAL = {
    "first_name": "Zenobia",
    "last_name": "Quintero-Arosemena",
    "email": "zenobia.quintero@example.com",
    "phone": "+507 6123-9876",
    "device_id": "device-5f2c-91ab",
    "account_id": "cuenta-998877",
}


def every_get(client, number: str, token: str) -> list[str]:
    paths = [
        "discovery", "services", "services/FALTA-AGUA", "requests", f"requests/{number}", f"tokens/{token}",
    ]
    queries = [{}, {"extensions": "true"}, {"service_request_id": number}, {"service_code": "FALTA-AGUA", "status": "open"}]
    bodies = []
    for fmt in FORMATS:
        for path in paths:
            for query in queries:
                response = client.get(f"{API}/{path}.{fmt}", query)
                assert response.status_code == 200, (path, response.content)
                bodies.append(response.content.decode("utf-8"))
    return bodies


def test_nothing_personal_appears_in_any_get(client, world, api_key):
    upload = SimpleUploadedFile("zenobia-quintero.jpg", photo_with_gps(), content_type="image/jpeg")
    data = dict(form(world, api_key=api_key.raw, **PERSONAL), media=upload, client_request_id="borrador-1")
    (receipt,) = items(post(client, "json", data), "json")
    case = Case.objects.get(number=receipt["service_request_id"])
    assert case.contact.email == PERSONAL["email"]
    bodies = every_get(client, case.number, receipt["token"])
    forbidden = [*PERSONAL.values(), "Zenobia Quintero", "zenobia-quintero", case.tracking_token, "6123-9876"]
    for body in bodies:
        for value in forbidden:
            assert value not in body
    assert any(case.number in body for body in bodies)


def test_the_post_answer_does_not_echo_personal_data(client, world, api_key):
    response = post(client, "xml", form(world, api_key=api_key.raw, **PERSONAL))
    body = response.content.decode("utf-8")
    assert response.status_code == 200
    assert all(value not in body for value in PERSONAL.values())
