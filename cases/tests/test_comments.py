import datetime as dt

from django.utils import timezone

from cases.models import Case, CaseEvent
from cases.services import Actor, add_comment
from ventanilla.testing import new_case


def test_a_comment_is_a_timeline_line_and_marks_the_case_updated(world):
    case = new_case(world, world.water)
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    event = add_comment(case, Actor(user=world.agent, channel="phone"), "El ciudadano llamó de nuevo.", public=False)
    case.refresh_from_db()
    assert (event.kind, event.public, event.actor, event.channel) == (CaseEvent.Kind.COMMENT, False, world.agent, "phone")
    assert timezone.now() - case.updated_at < dt.timedelta(minutes=1)
