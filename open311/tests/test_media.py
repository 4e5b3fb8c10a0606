"""Photos: uploaded with POST (`media`), published as media_url, served only when public."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.models import Attachment, Case
from cases.services import Actor, reject
from open311.tests.helpers import API, errors, form, items, post
from ventanilla.testing import new_case

GPS_IFD = 0x8825


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (9.0, 2.0, 34.8), 3: "W", 4: (79.0, 30.0, 25.2)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def stored_image(case, public: bool = True) -> Attachment:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, format="PNG")
    attachment = Attachment(case=case, content_type="image/png", size=len(out.getvalue()), public=public)
    attachment.file.save("x.png", ContentFile(out.getvalue()), save=True)
    return attachment


def test_an_uploaded_photo_becomes_the_media_url_without_its_gps_position(client, world, api_key):
    upload = SimpleUploadedFile("IMG_2031.jpg", photo_with_gps(), content_type="image/jpeg")
    response = post(client, "json", dict(form(world, api_key=api_key.raw), media=upload))
    assert response.status_code == 200, response.content
    (receipt,) = items(response, "json")
    (request,) = items(client.get(f"{API}/requests/{receipt['service_request_id']}.json"), "json")
    attachment = Attachment.objects.get(case__number=receipt["service_request_id"])
    assert request["media_url"] == f"http://testserver{API}/media/{attachment.pk}/"
    served = client.get(request["media_url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert image.size == (64, 48)
    assert GPS_IFD not in image.getexif() and 0x010F not in image.getexif()


def test_a_file_that_is_not_a_photo_is_a_400_and_nothing_is_stored(client, world, api_key, settings):
    fake = SimpleUploadedFile("foto.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg")
    response = post(client, "xml", dict(form(world, api_key=api_key.raw), media=fake))
    assert response.status_code == 400
    assert errors(response, "xml")[0][1].startswith("media: ")
    assert not Case.objects.exists() and not Attachment.objects.exists()
    media_root = settings.MEDIA_ROOT
    assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))


def test_a_photo_over_the_size_limit_is_a_400(client, world, api_key, settings):
    settings.CASE_MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("grande.jpg", photo_with_gps() + b"\0" * 2000, content_type="image/jpeg")
    response = post(client, "json", dict(form(world, api_key=api_key.raw), media=big))
    assert response.status_code == 400 and "media:" in errors(response, "json")[0][1]
    assert not Case.objects.exists()


def test_the_first_public_photo_is_the_media_url(client, world):
    case = new_case(world)
    stored_image(case, public=False)
    first, _second = stored_image(case), stored_image(case)
    (request,) = items(client.get(f"{API}/requests/{case.number}.xml"), "xml")
    assert request["media_url"] == f"http://testserver{API}/media/{first.pk}/"


def test_private_photos_are_not_served(client, world):
    private = stored_image(new_case(world), public=False)
    assert client.get(f"{API}/media/{private.pk}/").status_code == 404


def test_photos_of_sensitive_cases_are_not_served(client, world):
    sensitive = stored_image(new_case(world, world.corruption))
    assert client.get(f"{API}/media/{sensitive.pk}/").status_code == 404


def test_photos_of_spam_are_not_served(client, world):
    case = new_case(world)
    photo = stored_image(case)
    assert client.get(f"{API}/media/{photo.pk}/").status_code == 200
    reject(case, "spam", Actor(channel="phone"))
    assert client.get(f"{API}/media/{photo.pk}/").status_code == 404


def test_unknown_media_is_a_404(client, world):
    assert client.get(f"{API}/media/999999/").status_code == 404
