"""`ventanilla publish_figures`: what the scheduler and an administrator run."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from transparency.models import PublishedMonth
from transparency.tests.dataset import build_month


def run(*args) -> str:
    out = StringIO()
    call_command("publish_figures", *args, stdout=out)
    return out.getvalue()


def test_it_publishes_once_and_republishes_with_a_note(world):
    build_month(world)

    assert "2026-03: revision 1" in run("2026-03")
    assert "2026-03: revision 1" in run("2026-03")
    assert "2026-03: revision 2" in run("2026-03", "--republish", "--note", "Casos importados tarde")
    assert PublishedMonth.objects.filter(year=2026, month=3).count() == 2
    assert PublishedMonth.objects.get(year=2026, month=3, is_current=True).revision_note == "Casos importados tarde"


def test_it_refuses_bad_input_and_changes_nothing(world):
    with pytest.raises(CommandError):
        run("marzo")
    with pytest.raises(CommandError):
        run("2026-03", "--republish")
    with pytest.raises(CommandError):
        run("2999-01")
    assert not PublishedMonth.objects.exists()
