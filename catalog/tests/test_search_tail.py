"""Search pages list the good matches and hide the long tail of weak ones behind a link that says how
many there are; institution and theme lists sort by display name with Spanish collation."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from catalog.search import WEAK_MATCH_RATIO, search_procedures, split_weak_matches
from ventanilla.collation import collation_key


@pytest.fixture
def demo_catalog(db):
    call_command("load_jurisdiction", stdout=io.StringIO())


def shown_slugs(html: str) -> list[str]:
    return re.findall(r'href="(?:/en)?/tramites/([a-z0-9-]+)/"', html.split('id="catalog-results"', 1)[1])


@pytest.mark.parametrize("query", ["pasaporte", "cédula", "licencia de conducir"])
def test_weak_matches_are_hidden_and_counted_with_a_link_to_show_them(client, demo_catalog, query):
    everything = search_procedures(query, limit=50)
    good, weak = split_weak_matches(everything)
    assert good and weak, "the demo catalog has a tail for this query"

    html = client.get("/tramites/", {"q": query}).content.decode()

    assert len(shown_slugs(html)) == len(good) < len(everything)
    assert f'data-weaker-matches="{len(weak)}"' in html
    assert "no se muestran" in html or "no se muestra" in html
    link = re.search(r'href="([^"]*todos=1[^"]*)"', html).group(1).replace("&amp;", "&")
    every = client.get(link).content.decode()
    assert len(shown_slugs(every)) == len(everything)
    assert "data-weaker-matches" not in every


def test_the_good_matches_for_a_passport_are_the_passport_procedures(client, demo_catalog):
    html = client.get("/en/tramites/", {"q": "pasaporte"}).content.decode()

    slugs = shown_slugs(html)
    assert slugs[:2] and all("pasaporte" in slug for slug in slugs[:2])
    assert len(slugs) <= 5
    assert "weaker matches are not shown" in html and "Show them too" in html


def test_every_shown_result_scores_at_least_the_share_of_the_best(demo_catalog):
    good, weak = split_weak_matches(search_procedures("cédula", limit=50))
    best = good[0].search_score
    assert all(p.search_score >= best * WEAK_MATCH_RATIO for p in good)
    assert all(p.search_score < best * WEAK_MATCH_RATIO for p in weak)


def test_the_live_results_fragment_links_to_the_full_page_not_to_a_fragment(client, demo_catalog):
    html = client.get("/tramites/", {"q": "pasaporte", "parcial": "1"}).content.decode()

    link = re.search(r'href="([^"]*todos=1[^"]*)"', html).group(1)
    assert "parcial" not in link and link.startswith("/tramites/?")


def test_a_query_with_only_good_matches_hides_nothing(client, demo_catalog):
    html = client.get("/tramites/", {"q": "basura"}).content.decode()

    assert "data-weaker-matches" not in html


def test_collation_folds_accents_and_case_and_keeps_the_enye_after_n():
    names = ["Órgano Judicial", "ministerio de Economía", "Ministerio de Educación", "Autoridad", "Nuñez", "Nunez", "Oficina"]
    assert sorted(names, key=collation_key) == [
        "Autoridad",
        "ministerio de Economía",
        "Ministerio de Educación",
        "Nunez",
        "Nuñez",
        "Oficina",
        "Órgano Judicial",
    ]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_institutions_and_themes_are_listed_in_spanish_alphabetical_order(client, demo_catalog, prefix):
    response = client.get(f"{prefix}/tramites/")
    entities = [entity.name for entity in response.context["entities"]]
    themes = [theme.name for theme in response.context["themes"]]

    assert entities == sorted(entities, key=collation_key) and len(entities) > 5
    assert themes == sorted(themes, key=collation_key) and len(themes) > 5
