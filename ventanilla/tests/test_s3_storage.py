"""Attachments on S3-compatible storage (django-storages), against a local S3 server (moto in server mode)."""

from __future__ import annotations

import io

import boto3
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image

from cases.models import Attachment
from open311.models import ApiKey
from open311.tests.helpers import API, form, items, post

PORT = 8165
ENDPOINT = f"http://127.0.0.1:{PORT}"
BUCKET = "ventanilla-attachments"
# One xdist worker runs this whole module (`--dist loadgroup`): its server starts once, not once per worker.
pytestmark = pytest.mark.xdist_group("s3_server")


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=PORT)
    server.start()
    yield ENDPOINT
    server.stop()


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    client.create_bucket(Bucket=BUCKET)
    # The same block ventanilla/settings.py builds for STORAGE_BACKEND=s3.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": BUCKET, "endpoint_url": s3_server, "region_name": "us-east-1", "default_acl": None,
            "file_overwrite": False, "querystring_auth": True}},
    }
    cache.clear()
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 160, 90)).save(out, format="JPEG")
    return out.getvalue()


def test_a_photo_filed_through_open311_is_stored_in_the_bucket_and_served_back(client, world, s3, settings):
    _key, raw = ApiKey.issue("Ciudad App")
    upload = SimpleUploadedFile("hueco.jpg", photo(), content_type="image/jpeg")
    response = post(client, "json", dict(form(world, api_key=raw), media=upload))
    assert response.status_code == 200, response.content
    (receipt,) = items(response, "json")
    attachment = Attachment.objects.get(case__number=receipt["service_request_id"])
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys == [attachment.file.name]
    # Nothing landed on the local disk.
    assert not settings.MEDIA_ROOT.exists() or not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))
    served = client.get(f"{API}/media/{attachment.pk}/")
    assert served.status_code == 200
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert image.size == (40, 30)


def test_the_s3_setting_builds_the_storage_from_the_environment(monkeypatch):
    import importlib

    import ventanilla.settings as project_settings

    monkeypatch.setenv("STORAGE_BACKEND", "s3")
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", BUCKET)
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", ENDPOINT)
    try:
        fresh = importlib.reload(project_settings)
        default = fresh.STORAGES["default"]
        assert default["BACKEND"] == "storages.backends.s3.S3Storage"
        assert default["OPTIONS"]["bucket_name"] == BUCKET and default["OPTIONS"]["endpoint_url"] == ENDPOINT
        monkeypatch.setenv("STORAGE_BACKEND", "local")
        assert importlib.reload(project_settings).STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    finally:
        monkeypatch.delenv("STORAGE_BACKEND")
        importlib.reload(project_settings)
