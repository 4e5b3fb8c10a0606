"""`ventanilla load_demo`: what `make demo` runs on every start."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cases.management.commands.load_demo import DEMO_PASSWORD
from cases.models import Case, CaseContact, CaseEvent, Category, SurveyResponse
from entities.models import District, Entity, Membership

CASES = 120


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Case, CaseEvent, CaseContact, SurveyResponse, Category, Entity, District, Membership, get_user_model())
    }


def load_demo(**options) -> str:
    out = StringIO()
    call_command("load_demo", force=True, cases=CASES, stdout=out, **options)
    return out.getvalue()


def test_it_refuses_to_run_outside_the_demo(db, settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="DEMO=1"):
        call_command("load_demo", cases=CASES)
    assert not get_user_model().objects.exists()
    assert not Case.objects.exists()


def test_it_loads_the_jurisdiction_staff_and_a_year_of_routed_cases(db):
    output = load_demo()
    assert Case.objects.count() == CASES
    assert Category.objects.filter(code="BASURA-NO-RECOGIDA").exists()
    assert Membership.objects.filter(user__username="agente.311", role=Membership.Role.AGENT).exists()
    assert get_user_model().objects.get(username="admin").is_superuser
    assert DEMO_PASSWORD in output and "agente.311" in output
    municipal = Case.objects.filter(category__municipal=True, district__municipality__isnull=False)
    assert municipal.exists()
    assert not municipal.exclude(entity__kind=Entity.Kind.MUNICIPALITY).exists()


def test_running_it_again_changes_nothing(db):
    load_demo()
    before = counts()
    numbers = set(Case.objects.values_list("number", flat=True))
    output = load_demo(seed=99)
    assert counts() == before
    assert set(Case.objects.values_list("number", flat=True)) == numbers
    assert "already there" in output


def test_demo_staff_sign_in_with_the_password_published_in_the_docs(db, client):
    call_command("load_demo", force=True, cases=0, stdout=StringIO())
    assert client.login(username="supervisor.munsm", password=DEMO_PASSWORD)
    demo_doc = Path(settings.BASE_DIR, "docs", "demo.md").read_text(encoding="utf-8")
    assert DEMO_PASSWORD in demo_doc
