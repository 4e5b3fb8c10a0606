"""CAP 1.2 intake at /operaciones/cap/: the OASIS examples validate, Panama's messages become alerts
once, and everything wrong is refused in XML with nothing stored."""

import pytest
from lxml import etree

from cases.models import Case
from open311.models import ApiKey
from operations import cap
from operations.models import Alert, AlertSource, CapSender

from .cap_helpers import EXAMPLES, OASIS_EXAMPLES, flood_warning

URL = "/operaciones/cap/"


@pytest.fixture
def sensor_key(db):
    return ApiKey.issue("Red hidrometeorológica", ApiKey.Channel.SENSOR)[1]


def post(client, body: bytes, key: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    headers["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client.post(URL, data=body, content_type="application/cap+xml", **headers)


def error_of(response) -> str:
    root = etree.fromstring(response.content)
    assert root.tag == "errors"
    return root.findtext("error/description")


@pytest.mark.parametrize("name", OASIS_EXAMPLES)
def test_the_oasis_examples_are_valid_cap(name):
    root = cap.parse((EXAMPLES / name).read_bytes())
    cap.validate(root)
    assert cap.read(root).identifier


@pytest.mark.parametrize(
    "name, reason",
    [
        ("oasis_thunderstorm.xml", "outside the territory"),
        ("oasis_earthquake.xml", "No earlier message trinet@caltech.edu,TRI13970876.1"),
        ("oasis_hsas.xml", "cannot be placed"),
        ("oasis_amber.xml", "cannot be placed"),
    ],
)
def test_the_oasis_examples_are_refused_here_with_the_reason(ops, client, sensor_key, name, reason):
    response = post(client, (EXAMPLES / name).read_bytes(), sensor_key)
    assert response.status_code == 422
    assert reason in error_of(response)
    assert not Case.objects.exists()


def test_a_flood_warning_becomes_one_alert_from_a_sensor(ops, client, sensor_key):
    response = post(client, flood_warning(), sensor_key)
    assert response.status_code == 201, response.content
    number = etree.fromstring(response.content).findtext("service_request_id")
    alert = Alert.objects.get(case__number=number)
    assert alert.case.category == ops.world.flooding
    assert alert.case.channel == "sensor"
    assert alert.case.district.name == "San Miguelito"
    assert alert.source == AlertSource.CAP and alert.severity == 4 and not alert.exercise

    again = post(client, flood_warning(), sensor_key)
    assert again.status_code == 200
    assert etree.fromstring(again.content).findtext("status") == "duplicate"
    assert etree.fromstring(again.content).findtext("service_request_id") == number
    assert Alert.objects.count() == 1


def test_the_same_identifier_from_another_sender_is_another_alert(ops, client, sensor_key):
    post(client, flood_warning(), sensor_key)
    assert post(client, flood_warning(sender="otra@estacion.pa"), sensor_key).status_code == 201
    assert Alert.objects.count() == 2


def test_a_circle_is_placed_at_its_centre_and_a_geocode_at_its_district(ops, client, sensor_key):
    post(client, flood_warning("C-1", area="<circle>8.4273,-82.4308 2.5</circle>"), sensor_key)
    post(client, flood_warning("G-1", area="<geocode><valueName>PA-DISTRITO</valueName><value>0810</value></geocode>"), sensor_key)
    assert Alert.objects.get(cap_identifier="C-1").case.district.name == "David"
    assert Alert.objects.get(cap_identifier="G-1").case.district.name == "San Miguelito"


def test_an_exercise_message_makes_an_exercise_alert(ops, client, sensor_key):
    post(client, flood_warning(status="Exercise", severity="Extreme"), sensor_key)
    alert = Alert.objects.get()
    assert alert.exercise and alert.severity == 5


@pytest.mark.parametrize(
    "body, status, reason",
    [
        (b"<alert><oops", 400, "not well-formed"),
        (b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1"/>', 422, "not a CAP 1.2 alert"),
        (flood_warning().replace(b"<sender>alertas@sinaproc.gob.pa</sender>", b""), 422, "CAP 1.2 schema"),
        (flood_warning(status="Rumour"), 422, "CAP 1.2 schema"),
        (flood_warning(status="Test"), 422, "status Test"),
        (flood_warning(event_code=("SAME", "XYZ")).replace("Inundación".encode(), b"Ruido"), 422, "No rule maps"),
        (flood_warning(area="<circle>4.7110,-74.0721 1</circle>"), 422, "outside the territory"),
        (flood_warning(area="<circle>nine,ten 1</circle>"), 422, "coordinates cannot be read"),
        (b'<!DOCTYPE a [<!ENTITY x "y">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&x;</alert>', 422, "schema"),
    ],
)
def test_bad_messages_are_refused_with_nothing_stored(ops, client, sensor_key, body, status, reason):
    response = post(client, body, sensor_key)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/xml")
    assert reason in error_of(response)
    assert not Case.objects.exists()


def test_a_key_is_required_and_must_be_a_sensor_key(ops, client):
    assert post(client, flood_warning(), None).status_code == 401
    assert post(client, flood_warning(), "nope.nope").status_code == 401
    api_key = ApiKey.issue("App móvil", ApiKey.Channel.MOBILE)[1]
    response = post(client, flood_warning(), api_key)
    assert response.status_code == 403 and "not a sensor key" in error_of(response)
    assert client.get(URL).status_code == 405
    assert not Case.objects.exists()


def _certificate_and_key():
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "alertas@sinaproc.gob.pa")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    pem_cert = certificate.public_bytes(serialization.Encoding.PEM)
    pem_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem_cert, pem_key


def sign(body: bytes, cert: bytes, key: bytes) -> bytes:
    from signxml import XMLSigner

    root = etree.fromstring(body)
    signed = XMLSigner(c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#").sign(root, key=key, cert=cert)
    return etree.tostring(signed)


def test_a_sender_with_a_certificate_must_sign_with_it(ops, client, sensor_key):
    cert, key = _certificate_and_key()
    other_cert, other_key = _certificate_and_key()
    CapSender.objects.create(sender="alertas@sinaproc.gob.pa", certificate=cert.decode())

    unsigned = post(client, flood_warning("S-1"), sensor_key)
    assert unsigned.status_code == 403 and "must be signed" in error_of(unsigned)
    forged = post(client, sign(flood_warning("S-2"), other_cert, other_key), sensor_key)
    assert forged.status_code == 403 and "signature is not valid" in error_of(forged)
    tampered = sign(flood_warning("S-3"), cert, key).replace(b"Crecida", b"Sequia")
    assert post(client, tampered, sensor_key).status_code == 403
    assert not Case.objects.exists()

    good = post(client, sign(flood_warning("S-4"), cert, key), sensor_key)
    assert good.status_code == 201, good.content
    assert Alert.objects.get().cap_identifier == "S-4"
