"""Every indicator of the fixed month (dataset.py), computed by hand, through the real SQL aggregation."""

from __future__ import annotations

import pytest

from transparency.figures import compute_month, percentile, rank_entities
from transparency.tests.dataset import MONTH, YEAR, build_month


@pytest.fixture
def march(world, settings):
    settings.TRANSPARENCY_MIN_CLOSED = 5
    build_month(world)
    return compute_month(YEAR, MONTH)


def rows_by_code(data):
    return {row["entity_code"]: row for row in data["entities"]}


def test_the_water_utility_figures_follow_every_rule(march):
    idaan = rows_by_code(march)["IDAAN"]["figures"]

    # Received in March: W1 W2 W3 W4 W6 W8 W10 D1 NC1 I1 (spam left out; W7, W9 came in February).
    assert idaan["received"] == 10
    assert idaan["imported"] == 1
    # Closed in March: W1 W2 W3 W4 (last resolution) W9 D1 (with its original) I1; NC1 is returned.
    assert idaan["closed"] == 7
    assert idaan["closed_within_sla"] == 4  # W1, W2 (the declared day off does not count), D1, I1
    assert idaan["within_sla_pct"] == 57.1
    # Business days to close: D1 1, I1 1, W1 2, W2 2, W3 6, W9 7, W4 11.
    assert idaan["median_days"] == 2
    assert idaan["p90_days"] == 11
    assert (idaan["backlog"], idaan["overdue"]) == (4, 3)  # W6 W7 W8 W10; W8 is not due yet
    assert idaan["returned"] == 1
    assert idaan["reopened"] == 1
    assert idaan["transferred_out"] == 0


def test_satisfaction_and_the_sdg_shares_leave_out_dont_know(march):
    idaan = rows_by_code(march)["IDAAN"]["figures"]

    assert idaan["surveys"] == 3
    assert idaan["satisfaction_avg"] == 3.67  # (5 + 2 + 4) / 3
    assert idaan["satisfied_pct"] == 66.7  # 5 and 4
    assert idaan["solved_pct"] == 66.7
    assert idaan["response_rate_pct"] == 42.9  # 3 answers / 7 closed
    sdg = idaan["sdg"]
    assert sdg["accessibility"] == {"agree": 1, "answered": 2, "pct": 50.0}
    assert sdg["affordability"] == {"agree": 1, "answered": 1, "pct": 100.0}  # the 0 is left out
    assert sdg["equal_treatment"] == {"agree": 1, "answered": 2, "pct": 50.0}
    assert sdg["effective_delivery"] == {"agree": 1, "answered": 1, "pct": 100.0}
    assert sdg["timeliness"] == {"agree": 1, "answered": 1, "pct": 100.0}  # one unanswered
    assert idaan["sdg_average_pct"] == 80.0


def test_a_transfer_counts_for_the_entity_that_resolved_it(march):
    rows = rows_by_code(march)
    san_miguelito, david = rows["MUNSM"]["figures"], rows["MUNDAVID"]["figures"]

    assert (san_miguelito["received"], san_miguelito["closed"], san_miguelito["closed_within_sla"]) == (1, 1, 1)
    assert san_miguelito["median_days"] == 4  # 3 to 6 March
    assert (david["received"], david["closed"], david["transferred_out"]) == (0, 0, 1)


def test_sensitive_cases_count_only_nationally(march):
    assert "ANTAI" not in rows_by_code(march)
    assert all(not row["sensitive"] for row in march["entity_categories"])
    national = march["national"]
    assert national["received"] == 12  # 10 water + 1 rubbish + 1 sensitive
    assert national["closed"] == 9
    assert national["closed_within_sla"] == 6
    assert national["within_sla_pct"] == 66.7
    # 1 1 2 2 4 4 6 7 11
    assert (national["median_days"], national["p90_days"]) == (4, 11)
    assert (national["backlog"], national["overdue"], national["returned"]) == (4, 3, 1)
    assert (national["reopened"], national["transferred_out"], national["imported"]) == (1, 1, 1)


def test_national_channels_include_information_only_contacts(march):
    national = march["national"]
    by_channel = {row["channel"]: row for row in national["channels"]}

    assert (by_channel["web"]["cases"], by_channel["web"]["information_contacts"]) == (11, 1)
    assert (by_channel["phone"]["cases"], by_channel["phone"]["information_contacts"]) == (1, 2)
    assert national["information_contacts"] == 3  # the February call is not March's
    assert national["online_share_pct"] == 80.0  # (11 + 1) / (12 + 3)
    assert national["online_cases_pct"] == 91.7


def test_districts_count_where_the_problem_is_and_never_sensitive_cases(march):
    districts = {row["name"]: row["received"] for row in march["national"]["districts"]}

    assert districts == {"San Miguelito": 10, "David": 1}


def test_entities_below_the_threshold_are_listed_but_not_ranked(march):
    rows = rows_by_code(march)

    assert rows["IDAAN"]["rank"] == 1  # 7 closed >= 5
    assert rows["MUNSM"]["rank"] is None  # 1 closed
    assert rows["MUNDAVID"]["rank"] is None
    assert [row["entity_code"] for row in march["entities"]][0] == "IDAAN"


def test_per_category_rows_of_an_entity(march):
    cells = {(r["entity_code"], r["category_code"]): r["figures"] for r in march["entity_categories"]}

    assert cells[("IDAAN", "FALTA-AGUA")]["closed"] == 7
    assert cells[("MUNSM", "BASURA-NO-RECOGIDA")]["received"] == 1


def row(name, closed, within, median):
    return {"entity_name": name, "figures": {"closed": closed, "closed_within_sla": within, "median_days": median}}


def test_the_ranking_rule_breaks_ties_in_order():
    rows = [
        row("Delta", 20, 18, 3),  # 90 %
        row("Alfa", 10, 9, 3),  # 90 %, same median, fewer closed -> after Delta
        row("Bravo", 20, 18, 2),  # 90 %, faster -> first
        row("Charlie", 40, 36, 3),  # 90 %, median 3, most closed -> before Delta
        row("Eco", 20, 18, 3),  # equal to Delta on every criterion -> shares its rank
        row("Foxtrot", 9, 9, 1),  # below the threshold of 10
        row("Golf", 10, 10, 5),  # 100 % -> first of all
    ]

    rank_entities(rows, min_closed=10)

    assert [(r["entity_name"], r["rank"]) for r in rows] == [
        ("Golf", 1), ("Bravo", 2), ("Charlie", 3), ("Delta", 4), ("Eco", 4), ("Alfa", 6), ("Foxtrot", None),
    ]  # fmt: skip


def test_percentiles_use_the_nearest_rank():
    from collections import Counter

    assert percentile(Counter({1: 2, 2: 2}), 0.5) == 1
    assert percentile(Counter({1: 1, 5: 1, 9: 1}), 0.5) == 5
    assert percentile(Counter({1: 9, 30: 1}), 0.9) == 1
    assert percentile(Counter(), 0.5) is None
