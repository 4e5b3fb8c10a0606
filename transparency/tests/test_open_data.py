"""The open-data files parsed back: CSV (RFC 4180), JSON, GeoJSON, the monthly tables and the DCAT catalog."""

from __future__ import annotations

import csv
import io
import json

import pytest

from transparency.jobs import publish_month
from transparency.opendata import COLUMNS
from transparency.tests.dataset import MONTH, YEAR, build_month


@pytest.fixture
def march(world, settings):
    settings.TRANSPARENCY_MIN_CLOSED = 5
    data = build_month(world)
    publish_month(YEAR, MONTH)
    return data


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


def test_the_whole_history_is_a_streamed_rfc4180_csv(march, client):
    response = client.get("/transparencia/datos/casos.csv")

    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    text = body(response)
    assert text.count("\r\n") == len(text.splitlines())  # CRLF line ends
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == COLUMNS
    numbers = {r["number"]: r for r in rows}
    cases = march.cases
    assert cases["SPAM"].number not in numbers  # spam is never published
    assert cases["S1"].number not in numbers  # nor any sensitive case
    assert len(rows) == 13  # 15 cases minus spam and the sensitive one
    w1 = numbers[cases["W1"].number]
    assert (w1["category_code"], w1["entity_code"], w1["district_name"], w1["state"]) == ("FALTA-AGUA", "IDAAN", "San Miguelito", "resolved")
    assert (w1["sla_met"], w1["satisfaction"], w1["imported"]) == ("true", "5", "false")
    assert w1["created_at"] == "2026-03-02T10:00:00-05:00"
    assert float(w1["lat"]) == cases["W1"].lat
    assert numbers[cases["W3"].number]["sla_met"] == "false"
    assert numbers[cases["W7"].number]["sla_met"] == "false"  # open past its due date
    assert numbers[cases["I1"].number]["imported"] == "true"
    assert numbers[cases["NC1"].number]["rejection_reason"] == "not_competent"


def test_monthly_files_hold_the_month_only(march, client):
    rows = list(csv.DictReader(io.StringIO(body(client.get("/transparencia/datos/2026/03/casos.csv")))))
    assert {r["created_at"][:7] for r in rows} == {"2026-03"}
    assert len(rows) == 11  # W7 and W9 came in February

    records = json.loads(body(client.get("/transparencia/datos/2026/03/casos.json")))
    assert len(records) == 11 and set(records[0]) == set(COLUMNS)
    by_number = {r["number"]: r for r in records}
    w1 = by_number[march.cases["W1"].number]
    assert (w1["sla_met"], w1["satisfaction"], w1["imported"]) == (True, 5, False)
    assert by_number[march.cases["W8"].number]["resolved_at"] is None

    geo = json.loads(body(client.get("/transparencia/datos/2026/03/casos.geojson")))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 11
    feature = next(f for f in geo["features"] if f["id"] == march.cases["W1"].number)
    assert feature["geometry"] == {"type": "Point", "coordinates": [march.cases["W1"].lon, march.cases["W1"].lat]}
    assert "lat" not in feature["properties"] and feature["properties"]["entity_code"] == "IDAAN"
    assert client.get("/transparencia/datos/2026/13/casos.csv").status_code == 404


def test_the_monthly_performance_table_as_csv_and_json(march, client):
    rows = list(csv.DictReader(io.StringIO(client.get("/transparencia/2026/03.csv").content.decode())))
    total, *entities = rows
    assert total["entity_name"] == "TOTAL" and total["received"] == "12"
    idaan = next(r for r in entities if r["entity_code"] == "IDAAN")
    assert (idaan["rank"], idaan["closed"], idaan["within_sla_pct"], idaan["median_days"]) == ("1", "7", "57.1", "2")
    assert (idaan["sdg_average_pct"], idaan["sdg_affordability_pct"]) == ("80.0", "100.0")
    assert not any(r["entity_code"] == "ANTAI" for r in entities)

    data = client.get("/transparencia/2026/03.json").json()
    assert data["provisional"] is False and data["revision"] == 1 and data["min_closed"] == 5
    assert data["national"]["closed"] == 9
    assert [e["entity_code"] for e in data["entities"]][0] == "IDAAN"


def test_the_dcat_catalog_lists_every_file(march, client):
    response = client.get("/transparencia/datos/catalogo.jsonld")

    assert response["Content-Type"] == "application/ld+json"
    catalog = json.loads(response.content)
    assert catalog["@type"] == "dcat:Catalog" and "dcat" in catalog["@context"]
    datasets = {d["dct:identifier"]: d for d in catalog["dcat:dataset"]}
    urls = {d["dcat:downloadURL"]["@id"] for d in datasets["casos"]["dcat:distribution"]}
    assert "http://testserver/transparencia/datos/casos.csv" in urls
    assert "http://testserver/transparencia/datos/2026/03/casos.geojson" in urls
    performance = {d["dcat:downloadURL"]["@id"] for d in datasets["desempeno"]["dcat:distribution"]}
    assert "http://testserver/transparencia/2026/03.json" in performance
    for dataset in datasets.values():
        assert dataset["dct:license"]["@id"].startswith("https://creativecommons.org/")
        for distribution in dataset["dcat:distribution"]:
            path = distribution["dcat:downloadURL"]["@id"].removeprefix("http://testserver")
            assert client.get(path).status_code == 200, path


def test_the_data_page_has_the_dictionary(march, client):
    page = client.get("/transparencia/datos/").content.decode()
    for column in COLUMNS:
        assert f"<code>{column}</code>" in page
    assert client.get("/en/transparencia/datos/").status_code == 200


def test_the_database_written_csv_equals_the_python_rows(march, client):
    """On PostgreSQL the CSV comes from COPY; it must be byte for byte what the Python path writes."""
    from transparency.opendata import csv_lines, published_cases, rows

    served = body(client.get("/transparencia/datos/casos.csv"))

    assert served == "".join(csv_lines(rows(published_cases())))
