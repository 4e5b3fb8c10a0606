"""What moderation changes outside the back office: Open311 and the tracking page publish the moderated
text and public files only; the REST API's case detail links files to the staff attachment view."""

from __future__ import annotations

from django.core.files.base import ContentFile
from rest_framework.authtoken.models import Token

from cases.models import Attachment
from cases.services import Actor, moderate

from .core_fixtures import rubbish  # noqa: F401


def test_open311_publishes_the_moderated_description(client, world, rubbish):
    moderate(rubbish, Actor(world.alice), "Basura acumulada frente a una casa.")
    found = client.get(f"/open311/v2/requests/{rubbish.number}.json").json()[0]
    assert found["description"] == "Basura acumulada frente a una casa."
    assert "6123-4567" not in client.get(f"/open311/v2/requests/{rubbish.number}.xml").content.decode()


def test_a_hidden_photo_leaves_open311_and_the_tracking_page(client, world, rubbish):
    photo = Attachment(case=rubbish, content_type="image/gif", size=6)
    photo.file.save("x.gif", ContentFile(b"GIF89a"), save=True)
    assert client.get(f"/open311/v2/requests/{rubbish.number}.json").json()[0]["media_url"]
    moderate(rubbish, Actor(world.alice), "Basura.", hide_attachments=[photo.pk])
    assert client.get(f"/open311/v2/requests/{rubbish.number}.json").json()[0]["media_url"] is None
    assert client.get(f"/open311/v2/media/{photo.pk}/").status_code == 404


def test_the_api_case_detail_lists_attachments_through_the_staff_view(client, world, rubbish):
    photo = Attachment(case=rubbish, content_type="image/gif", size=6, public=False)
    photo.file.save("x.gif", ContentFile(b"GIF89a"), save=True)
    token = Token.objects.create(user=world.alice)
    body = client.get(f"/api/v1/cases/{rubbish.number}/", HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert [a["url"].split("testserver")[-1] for a in body["attachments"]] == [f"/oficina/adjuntos/{photo.pk}/"]
    assert body["attachments"][0]["public"] is False
