"""/alerta/ without a browser: the form files an urgent case once per phone key, and bad input is
answered in the caller's format with nothing stored."""

from cases.models import Case
from operations.models import Alert
from ventanilla.testing import OUTSIDE, SAN_MIGUELITO

KEY = "k" * 32


def send(client, **fields):
    data = {"category": "INUNDACION", "lat": SAN_MIGUELITO[0], "lon": SAN_MIGUELITO[1], "client_key": KEY, **fields}
    return client.post("/alerta/", data, HTTP_ACCEPT="application/json")


def test_the_page_offers_only_urgent_categories(ops, client):
    page = client.get("/alerta/").content.decode()
    assert "Inundación" in page and "Falta de agua" not in page
    assert 'name="client_key"' in page and "alerta.js" in page


def test_an_alert_is_filed_once_per_key(ops, client):
    first = send(client, phone="6123-4567")
    assert first.status_code == 201, first.content
    number = first.json()["number"]
    assert first.json()["tracking_url"].startswith("/seguimiento/")
    again = send(client, phone="6123-4567")
    assert again.status_code == 200 and again.json() == {**first.json(), "created": False}
    alert = Alert.objects.get()
    assert alert.case.number == number and alert.case.category.code == "INUNDACION"
    assert alert.case.contact.phone_normalized == "+50761234567"
    assert send(client, client_key="z" * 32).status_code == 201
    assert Alert.objects.count() == 2


def test_a_district_is_enough_when_the_phone_has_no_location(ops, client):
    district = ops.world.san_miguelito.district
    response = send(client, lat="", lon="", district=district.code)
    assert response.status_code == 201
    assert Case.objects.get().district == district


def test_bad_alerts_are_refused_with_nothing_stored(ops, client):
    assert send(client, category="FALTA-AGUA").json()["errors"]["category"]
    assert send(client, lat="", lon="").json()["errors"]["location"]
    assert "fuera del territorio" in send(client, lat=OUTSIDE[0], lon=OUTSIDE[1]).json()["errors"]["location"]
    assert send(client, client_key="short").status_code == 400
    assert "phone" in send(client, phone="hola").json()["errors"]
    assert not Case.objects.exists()


def test_the_plain_form_answers_in_html(ops, client):
    bad = client.post("/alerta/", {"client_key": KEY})
    assert bad.status_code == 400 and "govuk-error-summary" in bad.content.decode()
    good = client.post("/alerta/", {"client_key": KEY, "category": "INUNDACION", "lat": SAN_MIGUELITO[0], "lon": SAN_MIGUELITO[1]})
    assert good.status_code == 200 and Case.objects.get().number in good.content.decode()


def test_the_service_worker_is_served_from_the_alert_page(ops, client):
    response = client.get("/alerta/sw.js")
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert "__QUEUE_JS__" not in body and "/static/operations/alerta-queue.js" in body and 'var PAGE = "/alerta/"' in body
