"""The Django admin (/admin/) is for administrators only, and even there sensitive cases stay hidden:
the admin reads cases through the same scoping rule as every other page."""

from __future__ import annotations

import pytest

from backoffice.testing import login_verified
from ventanilla.testing import SAN_MIGUELITO, make_user, new_case


@pytest.fixture
def reports(world):
    return (
        new_case(world, world.rubbish, point=SAN_MIGUELITO),
        new_case(world, world.corruption, point=None, is_anonymous=True, description="Cobro de coima en la ventanilla 4."),
    )


@pytest.mark.parametrize("path", ["/admin/", "/admin/cases/case/", "/admin/entities/membership/"])
def test_entity_staff_with_the_is_staff_flag_are_sent_to_the_back_office(client, world, path):
    clerk = make_user("clara", "staff", world.san_miguelito, is_staff=True)
    login_verified(client, clerk)  # a verified member of staff, but not an administrator
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    login_page = client.get(response["Location"])
    assert login_page.status_code == 403
    assert "solo para los administradores" in login_page.content.decode() and b'href="/oficina/"' in login_page.content


def test_an_outsider_gets_the_login_page(client, world):
    client.force_login(world.charlie)
    response = client.get("/admin/cases/case/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_deactivated_superuser_cannot_get_in(client, world):
    world.admin.is_active = False
    world.admin.save()
    login_verified(client, world.admin)
    response = client.get("/admin/cases/case/")
    assert response.status_code == 302


def test_the_administrators_case_list_shows_ordinary_cases_but_not_sensitive_ones(client, world, reports):
    ordinary, sensitive = reports
    login_verified(client, world.admin)
    response = client.get("/admin/cases/case/")
    assert response.status_code == 200
    assert ordinary.number in response.content.decode()
    assert sensitive.number not in response.content.decode()
    searched = client.get("/admin/cases/case/", {"q": sensitive.number})
    assert searched.context["cl"].result_count == 0
    assert client.get("/admin/cases/case/", {"q": ordinary.number}).context["cl"].result_count == 1


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_an_administrator_cannot_open_a_sensitive_case_by_its_address(client, world, reports, view):
    _, sensitive = reports
    login_verified(client, world.admin)
    response = client.get(f"/admin/cases/case/{sensitive.pk}/{view}/", follow=True)
    body = response.content.decode()
    assert "Cobro de coima" not in body
    assert sensitive.number not in body


def test_an_administrator_cannot_read_a_sensitive_case_in_a_history_record(client, world, reports):
    _, sensitive = reports
    record = sensitive.history.first()
    login_verified(client, world.admin)
    response = client.get(f"/admin/cases/case/{sensitive.pk}/history/{record.history_id}/")
    assert response.status_code == 404
    assert "Cobro de coima" not in response.content.decode()


def test_an_administrator_can_read_an_ordinary_cases_history(client, world, reports):
    ordinary, _ = reports
    record = ordinary.history.first()
    login_verified(client, world.admin)
    assert client.get(f"/admin/cases/case/{ordinary.pk}/history/").status_code == 200
    page = client.get(f"/admin/cases/case/{ordinary.pk}/history/{record.history_id}/")
    assert page.status_code == 200 and ordinary.description in page.content.decode()
