"""Retried POSTs never file a second case: Idempotency-Key, or device_id + client_request_id."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import Case
from open311.models import ApiKey, Submission
from open311.tests.helpers import FORMATS, errors, form, items, post


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_idempotency_key_returns_the_first_result(client, world, api_key, fmt):
    first = post(client, fmt, form(world, api_key=api_key.raw), HTTP_IDEMPOTENCY_KEY="pedido-42")
    again = post(client, fmt, form(world, api_key=api_key.raw), HTTP_IDEMPOTENCY_KEY="pedido-42")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert items(again, fmt) == items(first, fmt)
    assert Case.objects.count() == 1


def test_different_keys_file_different_cases(client, world, api_key):
    post(client, "json", form(world, api_key=api_key.raw), HTTP_IDEMPOTENCY_KEY="a")
    post(client, "json", form(world, api_key=api_key.raw), HTTP_IDEMPOTENCY_KEY="b")
    post(client, "json", form(world, api_key=api_key.raw))
    post(client, "json", form(world, api_key=api_key.raw))
    assert Case.objects.count() == 4


def test_a_key_belongs_to_one_integrator(client, world, api_key):
    _other, other_raw = ApiKey.issue("Otra integración")
    post(client, "json", form(world, api_key=api_key.raw), HTTP_IDEMPOTENCY_KEY="pedido-1")
    post(client, "json", form(world, api_key=other_raw), HTTP_IDEMPOTENCY_KEY="pedido-1")
    assert Case.objects.count() == 2


def test_device_id_with_client_request_id_also_deduplicates(client, world, api_key):
    data = form(world, api_key=api_key.raw, device_id="android-8c1f", client_request_id="borrador-7")
    first = items(post(client, "json", data), "json")
    assert items(post(client, "json", data), "json") == first
    other_draft = dict(data, client_request_id="borrador-8")
    assert items(post(client, "json", other_draft), "json") != first
    assert Case.objects.count() == 2


def test_the_device_id_is_kept_only_as_a_keyed_hash(client, world, api_key):
    post(client, "json", form(world, api_key=api_key.raw, device_id="android-8c1f"))
    submission = Submission.objects.get()
    assert submission.device_hash and "android-8c1f" not in submission.device_hash
    assert "android-8c1f" not in str(Submission.objects.values().get())


def test_after_24_hours_the_key_files_a_new_case(client, world, api_key):
    first = items(post(client, "json", form(world, api_key=api_key.raw), HTTP_IDEMPOTENCY_KEY="k"), "json")
    Submission.objects.update(created_at=timezone.now() - timedelta(hours=25))
    later = items(post(client, "json", form(world, api_key=api_key.raw), HTTP_IDEMPOTENCY_KEY="k"), "json")
    assert later[0]["service_request_id"] != first[0]["service_request_id"]
    assert items(post(client, "json", form(world, api_key=api_key.raw), HTTP_IDEMPOTENCY_KEY="k"), "json") == later


def test_a_rejected_first_try_does_not_use_up_the_key(client, world, api_key):
    bad = post(client, "json", form(world, api_key=api_key.raw, description=""), HTTP_IDEMPOTENCY_KEY="k")
    assert bad.status_code == 400
    good = post(client, "json", form(world, api_key=api_key.raw), HTTP_IDEMPOTENCY_KEY="k")
    assert good.status_code == 200 and "Idempotent-Replayed" not in good


def test_an_unreadable_idempotency_key_is_a_400(client, world, api_key):
    response = post(client, "xml", form(world, api_key=api_key.raw), HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert response.status_code == 400 and "Idempotency-Key" in errors(response, "xml")[0][1]
    assert not Case.objects.exists()


def test_eight_concurrent_retries_file_exactly_one_case(transactional_world, settings):
    """Eight threads POST the same Idempotency-Key at the same moment, each on its own connection."""
    world = transactional_world
    settings.OPEN311_POSTS_PER_MINUTE = 100
    _key, raw = ApiKey.issue("Reintentos")
    barrier = threading.Barrier(8)
    answers: list = []
    failures: list = []

    def retry() -> None:
        try:
            client = Client()
            barrier.wait(timeout=30)
            response = post(client, "json", form(world, api_key=raw), HTTP_IDEMPOTENCY_KEY="same-report")
            answers.append((response.status_code, items(response, "json")[0]["service_request_id"]))
        except Exception as error:  # reported below: an exception in a thread would otherwise vanish
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert len(answers) == 8 and {status for status, _ in answers} == {200}
    assert len({number for _, number in answers}) == 1
    assert Case.objects.count() == 1 and Submission.objects.count() == 1
