"""Photos and documents: judged by their bytes, re-encoded without metadata or hidden payloads, stored
under random names, and served only for cases anyone may see."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cases.attachments import InvalidUpload, store_upload, validate_upload
from cases.models import Attachment
from cases.services import Actor, reject
from portal.journey.testing import (
    GPS_IFD,
    PHP,
    ROTATED_90,
    SCRIPT,
    bomb_png,
    gif_bytes,
    gps_exif,
    jpeg_bytes,
    mpo_bytes,
    pdf_bytes,
    png_bytes,
    stored_files,
    upload,
    webp_bytes,
)
from ventanilla.testing import new_case


def stored_image(attachment: Attachment) -> Image.Image:
    with attachment.file.open("rb") as handle:
        return Image.open(io.BytesIO(handle.read()))


def stored_bytes(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


def rejection(content: bytes, name: str = "photo.jpg", **kwargs) -> InvalidUpload:
    with pytest.raises(InvalidUpload) as caught:
        validate_upload(upload(name, content), **kwargs)
    return caught.value


def test_the_gps_position_in_a_photo_is_removed(world):
    original = jpeg_bytes(exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD), "the test photo must carry a position"

    attachment = store_upload(new_case(world), upload("IMG_0001.jpg", original))

    stored = stored_image(attachment)
    assert not stored.getexif().get_ifd(GPS_IFD)
    assert len(stored.getexif()) == 0
    assert b"PhoneMaker" not in stored_bytes(attachment)


def test_a_4000_by_3000_photo_is_reduced_to_2048_pixels_on_its_longest_side(world, settings):
    attachment = store_upload(new_case(world), upload("big.jpg", jpeg_bytes(size=(4000, 3000))))

    assert stored_image(attachment).size == (2048, 1536)
    assert (attachment.width, attachment.height) == (2048, 1536)
    assert attachment.size == len(stored_bytes(attachment)) < 4000 * 3000


def test_a_photo_taken_with_the_phone_turned_is_stood_up_before_its_exif_is_dropped(world):
    attachment = store_upload(new_case(world), upload("turned.jpg", jpeg_bytes(size=(640, 480), exif=gps_exif(ROTATED_90))))

    image = stored_image(attachment).convert("RGB")
    assert image.size == (480, 640)
    # The blue top-left quarter of the sensor's picture is now top-right, as the photographer saw it.
    red, green, blue = image.getpixel((400, 100))
    assert blue > 150 and red < 100


def test_a_script_renamed_to_jpg_is_rejected_and_nothing_is_stored(world):
    error = rejection(SCRIPT, "photo.jpg")

    assert error.code == "unsupported_format"
    assert "photo.jpg" in error.messages[0]
    assert stored_files() == []


def test_an_html_page_sent_as_an_image_is_rejected():
    assert rejection(b"<!DOCTYPE html><html><body>" + SCRIPT, "page.png").code == "unsupported_format"


def test_a_file_that_starts_like_a_jpeg_but_is_not_one_is_rejected():
    assert rejection(b"\xff\xd8\xff\xe0" + SCRIPT * 10).code == "broken_image"


def test_a_truncated_photo_is_rejected():
    assert rejection(jpeg_bytes()[:300]).code == "broken_image"


def test_a_jpeg_with_html_appended_is_stored_without_the_payload(world):
    polyglot = jpeg_bytes() + b"<html><body>" + SCRIPT + b"</body></html>"

    attachment = store_upload(new_case(world), upload("polyglot.jpg", polyglot))

    content = stored_bytes(attachment)
    assert b"<script" not in content and b"pwned" not in content
    assert attachment.content_type == "image/jpeg"


def test_a_script_hidden_in_a_jpeg_comment_is_dropped(world):
    attachment = store_upload(new_case(world), upload("comment.jpg", jpeg_bytes(comment=SCRIPT)))

    assert b"pwned" not in stored_bytes(attachment)


def test_a_gif_with_php_appended_keeps_only_its_first_frame_as_a_clean_image(world):
    attachment = store_upload(new_case(world), upload("anim.gif", gif_bytes() + PHP, "image/gif"))

    content = stored_bytes(attachment)
    assert b"<?php" not in content
    image = stored_image(attachment)
    assert image.format in {"JPEG", "PNG"} and getattr(image, "n_frames", 1) == 1


def test_a_decompression_bomb_is_rejected_without_being_decoded():
    bomb = bomb_png()
    assert len(bomb) < 1_000_000

    assert rejection(bomb, "small.png").code == "too_many_pixels"


def test_a_file_over_10_mb_is_rejected(settings):
    assert settings.CASE_MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    too_big = jpeg_bytes() + b"\0" * settings.CASE_MAX_UPLOAD_BYTES

    error = rejection(too_big, "huge.jpg")

    assert error.code == "too_large"
    assert "10 MB" in error.messages[0]


def test_an_empty_file_is_rejected():
    assert rejection(b"", "empty.jpg").code == "empty"


def test_a_phone_photo_with_a_second_picture_inside_is_accepted_as_one_jpeg():
    clean = validate_upload(upload("PXL_2026.jpg", mpo_bytes()))

    image = Image.open(io.BytesIO(clean.content))
    assert clean.content_type == "image/jpeg" and image.format == "JPEG" and getattr(image, "n_frames", 1) == 1
    assert image.size == (400, 300)


def test_a_png_with_transparency_stays_a_png_and_an_opaque_webp_becomes_a_jpeg():
    transparent = validate_upload(upload("logo.png", png_bytes(transparent=True), "image/png"))
    webp = validate_upload(upload("photo.webp", webp_bytes(), "image/webp"))

    assert transparent.content_type == "image/png" and Image.open(io.BytesIO(transparent.content)).mode == "RGBA"
    assert webp.content_type == "image/jpeg" and (webp.width, webp.height) == (200, 100)


def test_the_client_content_type_and_file_name_are_ignored():
    clean = validate_upload(upload("document.pdf", png_bytes(), "application/pdf"))

    assert clean.content_type == "image/jpeg"


def test_a_pdf_is_accepted_only_where_documents_are_allowed():
    assert rejection(pdf_bytes(), "evidence.pdf").code == "unsupported_format"

    clean = validate_upload(upload("evidence.pdf", pdf_bytes(), "application/pdf"), allow_pdf=True)

    # Stored as qpdf rewrote it, not as sent (cases/tests/test_pdf_sanitising.py).
    assert clean.content_type == "application/pdf" and clean.content.startswith(b"%PDF-")


def test_a_pdf_that_runs_javascript_when_opened_is_stored_without_the_script():
    script = pdf_bytes(extra_catalog=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ")
    escaped = pdf_bytes(extra_catalog=b"/OpenAction << /S /J#61vaScript /JS (app.alert(2)) >> ")

    for content in (script, escaped):
        clean = validate_upload(upload("a.pdf", content, "application/pdf"), allow_pdf=True)
        assert b"OpenAction" not in clean.content and b"app.alert" not in clean.content


def test_a_file_that_only_starts_like_a_pdf_is_rejected():
    assert rejection(b"%PDF-1.4\n" + SCRIPT, "fake.pdf", allow_pdf=True).code == "invalid_pdf"


def test_a_stored_file_gets_a_random_name_not_the_citizens(world):
    attachment = store_upload(new_case(world), upload("Juan Pérez cédula 8-123-456.jpg", jpeg_bytes()))

    assert "Juan" not in attachment.file.name and "8-123" not in attachment.file.name
    assert attachment.file.name.endswith(".jpg")


def test_documents_and_files_of_sensitive_cases_are_never_public(world):
    complaint = new_case(world, world.corruption, point=None, is_anonymous=True)

    photo = store_upload(complaint, upload("a.jpg", jpeg_bytes()), public=True)
    document = store_upload(new_case(world), upload("b.pdf", pdf_bytes()), allow_pdf=True, public=True)

    assert photo.public is False
    assert document.public is False


# --- Serving ----------------------------------------------------------------------------------


def test_a_public_photo_of_an_ordinary_case_is_served_as_an_image(client, world):
    attachment = store_upload(new_case(world), upload("a.jpg", jpeg_bytes()))

    response = client.get(f"/adjuntos/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == stored_bytes(attachment)


def test_photos_of_complaints_documents_and_spam_are_not_served(client, world):
    complaint = new_case(world, world.corruption, point=None, is_anonymous=True)
    hidden = [
        store_upload(complaint, upload("a.jpg", jpeg_bytes())),
        store_upload(new_case(world), upload("b.pdf", pdf_bytes()), allow_pdf=True),
        store_upload(new_case(world), upload("c.jpg", jpeg_bytes()), public=False),
    ]
    spam = new_case(world)
    hidden.append(store_upload(spam, upload("d.jpg", jpeg_bytes())))
    reject(spam, "spam", Actor(user=world.agent))

    for attachment in hidden:
        response = client.get(f"/adjuntos/{attachment.pk}/")
        assert response.status_code == 404, attachment
        assert "image" not in response["Content-Type"]


def test_an_unknown_attachment_is_a_friendly_not_found_page(client, world):
    response = client.get("/en/adjuntos/999999/")

    assert response.status_code == 404
    assert b"We could not find" in response.content
