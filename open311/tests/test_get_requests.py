"""GET requests: filters, windows, paging, status mapping and the public timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from cases.services import Actor, add_comment, create_case, reject, resolve, transition
from cases.validation import NewCase
from open311.tests.helpers import API, FORMATS, close_case, errors, items
from ventanilla.testing import DAVID, SAN_MIGUELITO, new_case


def numbers(response, fmt: str) -> list[str]:
    assert response.status_code == 200, response.content
    return [request["service_request_id"] for request in items(response, fmt)]


def filed_days_ago(world, days: int, category=None):
    category = category or world.water
    return create_case(
        NewCase(category_code=category.code, description="Sin agua.", lat=SAN_MIGUELITO[0], lon=SAN_MIGUELITO[1]),
        received_at=timezone.now() - timedelta(days=days),
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_newest_requests_come_first(client, world, fmt):
    first, second = new_case(world), new_case(world)
    assert numbers(client.get(f"{API}/requests.{fmt}"), fmt) == [second.number, first.number]


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_dates_only_the_last_90_days_are_listed(client, world, fmt):
    recent, old = filed_days_ago(world, 10), filed_days_ago(world, 120)
    assert numbers(client.get(f"{API}/requests.{fmt}"), fmt) == [recent.number]
    old_window = {"start_date": (timezone.now() - timedelta(days=130)).isoformat(), "end_date": (timezone.now() - timedelta(days=100)).isoformat()}
    assert numbers(client.get(f"{API}/requests.{fmt}", old_window), fmt) == [old.number]


def test_start_date_alone_opens_a_90_day_window_from_it(client, world):
    old, recent = filed_days_ago(world, 150), filed_days_ago(world, 5)
    start = (timezone.now() - timedelta(days=160)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert numbers(client.get(f"{API}/requests.json", {"start_date": start}), "json") == [old.number]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_code_filters_by_a_comma_list(client, world, fmt):
    water = new_case(world, world.water)
    rubbish = new_case(world, world.rubbish)
    new_case(world, world.flooding)
    assert numbers(client.get(f"{API}/requests.{fmt}", {"service_code": "FALTA-AGUA"}), fmt) == [water.number]
    both = numbers(client.get(f"{API}/requests.{fmt}", {"service_code": "FALTA-AGUA,BASURA-NO-RECOGIDA"}), fmt)
    assert both == [rubbish.number, water.number]


@pytest.mark.parametrize("fmt", FORMATS)
def test_status_open_and_closed_map_our_states(client, world, fmt):
    open_case, resolved, rejected = new_case(world), new_case(world), new_case(world)
    close_case(world, resolved)
    reject(rejected, "not_competent", Actor(channel="phone"), message="No es de nuestra competencia.")
    assert numbers(client.get(f"{API}/requests.{fmt}", {"status": "open"}), fmt) == [open_case.number]
    assert numbers(client.get(f"{API}/requests.{fmt}", {"status": "closed"}), fmt) == [rejected.number, resolved.number]
    assert len(numbers(client.get(f"{API}/requests.{fmt}", {"status": "open,closed"}), fmt)) == 3


def test_spam_is_never_listed(client, world):
    spam = new_case(world)
    reject(spam, "spam", Actor(channel="phone"))
    assert numbers(client.get(f"{API}/requests.json"), "json") == []
    assert client.get(f"{API}/requests/{spam.number}.json").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_request_id_overrides_every_other_argument(client, world, fmt):
    old, recent = filed_days_ago(world, 200), new_case(world, world.rubbish)
    query = {"service_request_id": f"{old.number},{recent.number},1999-000001", "service_code": "INUNDACION", "status": "closed"}
    assert numbers(client.get(f"{API}/requests.{fmt}", query), fmt) == [recent.number, old.number]


def test_closed_requests_carry_the_last_public_message_as_status_notes(client, world):
    case = new_case(world)
    close_case(world, case, "Se reparó la tubería en la calle principal.")
    add_comment(case, Actor(channel="phone"), "Nota interna del equipo.", public=False)
    (request,) = items(client.get(f"{API}/requests/{case.number}.json"), "json")
    assert request["status"] == "closed"
    assert request["status_notes"] == "Se reparó la tubería en la calle principal."
    (fresh,) = items(client.get(f"{API}/requests/{new_case(world).number}.json"), "json")
    assert fresh["status_notes"] is None


def test_updated_after_and_before_select_by_last_change(client, world):
    untouched, touched = filed_days_ago(world, 30), filed_days_ago(world, 30)
    cutoff = timezone.now()
    close_case(world, touched)
    after = {"updated_after": cutoff.isoformat()}
    assert numbers(client.get(f"{API}/requests.json", after), "json") == [touched.number]
    before = {"updated_before": cutoff.isoformat()}
    assert numbers(client.get(f"{API}/requests.json", before), "json") == [untouched.number]


@pytest.mark.parametrize("fmt", FORMATS)
def test_page_and_page_size_walk_through_the_results(client, world, fmt):
    cases = [new_case(world) for _ in range(5)]
    newest_first = [case.number for case in reversed(cases)]
    pages = [numbers(client.get(f"{API}/requests.{fmt}", {"page_size": 2, "page": page}), fmt) for page in (1, 2, 3, 4)]
    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:5], []]


def test_at_most_1000_requests_come_in_one_answer(client, world, settings):
    case = new_case(world)
    Case.objects.bulk_create(
        [Case(number=f"2000-{n:06d}", year=2000, sequence=n, tracking_token=f"t{n}", category=world.water, entity=world.idaan,
              description="Sin agua.", due_at=case.due_at) for n in range(1005)]
    )
    assert len(numbers(client.get(f"{API}/requests.json"), "json")) == 1000
    assert len(numbers(client.get(f"{API}/requests.json", {"page": 2}), "json")) == 6


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "query, fragment",
    [
        ({"start_date": "ayer"}, "start_date"),
        ({"end_date": "2026-13-45T00:00:00Z"}, "end_date"),
        ({"updated_after": "x"}, "updated_after"),
        ({"status": "pending"}, "status"),
        ({"page": "0"}, "page"),
        ({"page_size": "5000"}, "page_size"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2025-01-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2025-01-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "90"),
    ],
)
def test_bad_arguments_are_a_400_naming_them(client, world, fmt, query, fragment):
    response = client.get(f"{API}/requests.{fmt}", query)
    assert response.status_code == 400
    assert fragment in " ".join(description for _, description in errors(response, fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_request_is_a_404(client, world, fmt):
    response = client.get(f"{API}/requests/2026-999999.{fmt}")
    assert response.status_code == 404
    ((code, description),) = errors(response, fmt)
    assert code == 404 and "2026-999999" in description


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wrong_jurisdiction_is_a_404_in_the_callers_format(client, world, fmt):
    for path in ("requests", "services", "discovery"):
        response = client.get(f"{API}/{path}.{fmt}", {"jurisdiction_id": "sfgov.org"})
        assert response.status_code == 404
        assert "jurisdiction_id" in errors(response, fmt)[0][1]
    assert client.get(f"{API}/requests.{fmt}", {"jurisdiction_id": "311.gob.pa"}).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_extensions_add_the_public_timeline(client, world, fmt):
    case = new_case(world, world.rubbish, point=DAVID)
    transition(case, "assign", Actor(user=world.bob))
    add_comment(case, Actor(user=world.bob), "Revisión interna.", public=False)
    resolve(case, Actor(user=world.bob), "Recolectado.")
    plain = items(client.get(f"{API}/requests/{case.number}.{fmt}"), fmt)[0]
    assert "timeline" not in plain
    response = client.get(f"{API}/requests.{fmt}", {"extensions": "true"})
    (request,) = items(response, fmt)
    if fmt == "json":
        events = request["timeline"]
    else:
        events = [{child.tag: child.text for child in event} for event in request["timeline"]]
    assert [(e["kind"], e["status"]) for e in events] == [
        ("created", "received"), ("routed", "received"), ("assign", "assigned"), ("resolve", "resolved"),
    ]
    assert list(events[0]) == ["kind", "datetime", "status", "notes"]
    assert events[-1]["notes"] == "Recolectado."
    assert "Revisión interna." not in response.content.decode()


def test_unknown_paths_and_formats_are_a_404_in_xml_or_json(client, world):
    assert errors(client.get(f"{API}/requests.csv"), "xml")[0][0] == 404
    assert errors(client.get(f"{API}/nothing.json"), "json")[0][0] == 404
    assert errors(client.post(f"{API}/request.json", {"api_key": "x"}), "json")[0][0] == 404
