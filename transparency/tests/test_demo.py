"""`ventanilla load_demo` publishes every complete month of the generated year."""

from io import StringIO

from django.core.management import call_command

from transparency.models import EntityFigures, PublishedMonth


def test_the_demo_shows_figures_at_once(db, client):
    out = StringIO()
    call_command("load_demo", force=True, cases=400, stdout=out)

    months = PublishedMonth.objects.filter(is_current=True)
    assert 12 <= months.count() <= 13 and "months published" in out.getvalue()
    assert EntityFigures.objects.filter(category_code="").exists()
    page = client.get("/transparencia/")
    assert page.status_code == 200 and b"data-provisional" not in page.content and b"data-entity=" in page.content
    assert client.get("/transparencia/observatorio/").status_code == 200
