"""The big selects of the queue and the case page (categories, districts, entities) come from lists kept
in the process (backoffice/options.py): a change must show on the next page, in every language, with the
chosen option still chosen."""

from __future__ import annotations

import re

from entities.models import District, Province

from .core_fixtures import office, rubbish  # noqa: F401

QUEUE = "/oficina/"


def select(html: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option of the select called `name`."""
    found = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    assert found, f"no select {name}"
    return [
        (value, label, bool(chosen))
        for value, chosen, label in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', found.group(1))
    ]


def labels(html: str, name: str) -> list[str]:
    return [label for _value, label, _chosen in select(html, name)]


def test_a_renamed_category_shows_in_the_queue_filter_on_the_next_page_in_both_languages(office, world, rubbish):
    assert "Basura no recogida" in labels(office.get(QUEUE).content.decode(), "category")
    assert "Uncollected rubbish" in labels(office.get("/en" + QUEUE).content.decode(), "category")

    world.rubbish.name_es, world.rubbish.name_en = "Recolección de basura pendiente", "Rubbish not collected"
    world.rubbish.save()

    spanish = office.get(QUEUE).content.decode()
    assert "Recolección de basura pendiente" in labels(spanish, "category")
    assert "Basura no recogida" not in spanish
    english = office.get("/en" + QUEUE).content.decode()
    assert "Rubbish not collected" in labels(english, "category")
    assert "Uncollected rubbish" not in english


def test_the_chosen_filter_values_stay_selected(office, world, rubbish):
    district = District.objects.get(name="San Miguelito")
    html = office.get(QUEUE, {"category": world.rubbish.code, "district": district.code}).content.decode()
    categories = select(html, "category")
    assert [value for value, _label, chosen in categories if chosen] == [world.rubbish.code]
    assert categories[0] == ("", "Cualquiera", False)
    assert [value for value, _label, chosen in select(html, "district") if chosen] == [district.code]
    # Without a filter, "Any" is the chosen option.
    assert select(office.get(QUEUE).content.decode(), "category")[0] == ("", "Cualquiera", True)


def test_a_new_district_and_a_renamed_entity_show_on_the_next_page(office, world, rubbish):
    office.get(QUEUE)  # the lists are built
    province = Province.objects.order_by("pk").first()
    District.objects.create(code="ZZ-NUEVO", name="Distrito Nuevo", province=province, geometry={}, min_lon=0, min_lat=0, max_lon=0, max_lat=0)
    world.idaan.name = "Instituto de Acueductos Nacionales"
    world.idaan.save()

    html = office.get(QUEUE).content.decode()
    assert f"Distrito Nuevo ({province.name})" in labels(html, "district")
    assert "Instituto de Acueductos Nacionales (IDAAN)" in labels(html, "entity")  # the bulk transfer


def test_the_case_page_offers_other_active_categories_of_the_same_kind_and_other_entities(office, world, rubbish):
    page = f"/oficina/casos/{rubbish.number}/"
    html = office.get(page).content.decode()
    categories = [value for value, _label, _chosen in select(html, "change_category-category")]
    assert world.water.code in categories
    assert world.rubbish.code not in categories  # its own
    assert world.corruption.code not in categories  # sensitive: another kind
    entities = [value for value, _label, _chosen in select(html, "transfer-entity")]
    assert world.idaan.code in entities and world.sinaproc.code in entities and world.san_miguelito.code not in entities

    world.water.active = False
    world.water.save()
    world.sinaproc.active = False
    world.sinaproc.save()

    html = office.get(page).content.decode()
    assert world.water.code not in [value for value, _label, _chosen in select(html, "change_category-category")]
    assert world.sinaproc.code not in [value for value, _label, _chosen in select(html, "transfer-entity")]
