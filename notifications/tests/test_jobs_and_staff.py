"""Staff messages and the periodic jobs, called directly as plain functions (and twice, to show they
are idempotent), plus the one schedule that Celery beat and the embedded worker share."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, State
from cases.services import Actor
from notifications import jobs
from notifications.models import Message
from notifications.retention import erase_message_personal_data
from notifications.services import notify_staff, render
from ventanilla.schedule import EmbeddedScheduler, schedule
from ventanilla.testing import new_case

pytestmark = pytest.mark.django_db


def staff_messages(user, kind=None):
    qs = Message.objects.filter(recipient_user=user)
    return list(qs.filter(kind=kind) if kind else qs)


def rubbish(world, **fields):
    return new_case(world, category=world.rubbish, **fields)


def test_the_assignee_hears_of_a_case_assigned_to_them(world):
    case = rubbish(world, contact_name="Ana Pérez", contact_email="ana@example.com", contact_phone="6123-4567")
    services.transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    [message] = staff_messages(world.alice, Message.Kind.ASSIGNED)
    assert message.to == world.alice.email
    assert case.number in message.subject and "Se le asignó" in message.subject
    assert f"/oficina/casos/{case.number}/" in message.body
    # The reporter's personal data stays in the back office.
    for text in (message.subject, message.body, message.html):
        assert "Ana" not in text and "ana@example.com" not in text and "6123" not in text


def test_assigning_oneself_sends_nothing(world):
    case = rubbish(world)
    services.transition(case, "assign", Actor(user=world.alice), assignee=world.alice)
    assert staff_messages(world.alice) == []


def test_a_reassignment_event_notifies_the_new_assignee(world):
    from cases.events import record_event

    case = rubbish(world)
    Case.objects.filter(pk=case.pk).update(assignee=world.supervisor)
    case.refresh_from_db()
    record_event(case, "reassign", actor=world.alice, public=False)
    assert len(staff_messages(world.supervisor, Message.Kind.ASSIGNED)) == 1


def test_notify_staff_is_idempotent_by_key(world):
    first = notify_staff(world.operator, "Alerta sin atender", "La alerta 12 lleva 10 minutos sin atender.", key="alert:12:escalated")
    again = notify_staff(world.operator, "Alerta sin atender", "La alerta 12 lleva 10 minutos sin atender.", key="alert:12:escalated")
    assert first.pk == again.pk
    assert len(staff_messages(world.operator, Message.Kind.STAFF)) == 1
    assert first.subject == "Alerta sin atender" and "10 minutos" in first.body


def test_sla_sweep_warns_once_when_due_soon_and_once_when_overdue(world):
    case = rubbish(world)
    services.transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    soon = timezone.now() + timedelta(hours=2)
    Case.objects.filter(pk=case.pk).update(due_at=soon)
    assert jobs.sla_sweep() == 1
    assert jobs.sla_sweep() == 0
    [warning] = staff_messages(world.alice, Message.Kind.DUE_SOON)
    assert "vence pronto" in warning.subject
    assert jobs.sla_sweep(now=soon + timedelta(hours=1)) == 1
    assert "vencido" in staff_messages(world.alice, Message.Kind.OVERDUE)[0].subject


def test_sla_sweep_tells_the_supervisors_when_nobody_is_assigned(world):
    case = rubbish(world)
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - timedelta(hours=1))
    jobs.sla_sweep()
    assert len(staff_messages(world.supervisor, Message.Kind.OVERDUE)) == 1
    assert staff_messages(world.alice) == []


def next_business_morning(world):
    from cases.sla import WorkCalendar

    calendar = WorkCalendar()
    day = timezone.localdate()
    while not calendar.is_business_day(day):
        day += timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8)))


def test_the_supervisor_digest_lists_overdue_and_due_soon_cases_once_a_day(world):
    now = next_business_morning(world)
    late, soon, fine = rubbish(world), rubbish(world), rubbish(world)
    Case.objects.filter(pk=late.pk).update(due_at=now - timedelta(days=1))
    Case.objects.filter(pk=soon.pk).update(due_at=now + timedelta(hours=3))
    Case.objects.filter(pk=fine.pk).update(due_at=now + timedelta(days=30))
    david = new_case(world, category=world.rubbish, point=(8.4273, -82.4308))
    Case.objects.filter(pk=david.pk).update(due_at=now - timedelta(days=1))
    assert jobs.supervisor_digest(now=now) == 1
    assert jobs.supervisor_digest(now=now) == 0
    [digest] = staff_messages(world.supervisor, Message.Kind.DIGEST)
    assert "1 vencidos y 1 por vencer" in digest.subject
    assert late.number in digest.body and soon.number in digest.body
    assert fine.number not in digest.body and david.number not in digest.body


def resolved_case(world, days_ago: float, **fields):
    case = new_case(world, contact_email="vecina@example.com", **fields)
    services.transition(case, "assign", Actor(user=world.admin), assignee=world.admin)
    services.resolve(case, Actor(user=world.admin), "Se reparó la tubería.")
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=days_ago))
    return case


def test_resolved_cases_close_after_the_reopen_window(world, settings):
    old = resolved_case(world, settings.CASE_REOPEN_WINDOW_DAYS + 1)
    recent = resolved_case(world, 1)
    assert jobs.auto_close_resolved() == 1
    assert jobs.auto_close_resolved() == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.state == State.CLOSED and recent.state == State.RESOLVED
    event = old.events.get(kind="close")
    assert event.actor is None
    assert Message.objects.filter(case=old, kind=Message.Kind.CLOSED).count() == 1


def test_one_survey_reminder_after_some_business_days(world):
    due = resolved_case(world, 10)
    fresh = resolved_case(world, 0)
    assert jobs.survey_reminders() == 1
    assert jobs.survey_reminders() == 0
    [reminder] = [render(m) for m in Message.objects.filter(kind=Message.Kind.SURVEY_REMINDER)]
    assert reminder.case == due and f"/encuesta/{due.tracking_token}/" in reminder.body
    services.submit_survey(fresh, 5, True)
    assert not Message.objects.filter(case=fresh, kind=Message.Kind.SURVEY_REMINDER).exists()


PUBLISHED: list[tuple[int, int]] = []


def publish_month_for_test(year: int, month: int) -> str:
    PUBLISHED.append((year, month))
    return "published"


def test_the_monthly_publication_runs_on_the_first_working_day_only(world, settings):
    PUBLISHED.clear()
    settings.MONTHLY_PUBLICATION_JOB = "notifications.tests.test_jobs_and_staff.publish_month_for_test"
    # 1 January 2027 is a public holiday in Panama (and a Friday): the first working day is Monday the 4th.
    tz = timezone.get_default_timezone()
    assert jobs.monthly_publication(now=dt.datetime(2027, 1, 1, 9, tzinfo=tz)) is None
    assert jobs.monthly_publication(now=dt.datetime(2027, 1, 4, 9, tzinfo=tz)) == "published"
    assert jobs.monthly_publication(now=dt.datetime(2027, 1, 5, 9, tzinfo=tz)) is None
    assert PUBLISHED == [(2026, 12)]


def test_a_job_of_another_app_that_is_missing_is_skipped(settings, caplog):
    settings.CONTACT_RETENTION_JOB = "nowhere.retention.erase"
    assert jobs.contact_retention() is None
    assert "nowhere.retention.erase" in caplog.text


def test_retention_blanks_the_personal_data_of_messages(world):
    case = new_case(world, contact_email="vecina@example.com", contact_phone="6123-4567", notify_sms=True)
    other = new_case(world, contact_email="otra@example.com")
    assert erase_message_personal_data([case.pk]) == 2
    for message in Message.objects.filter(case=case):
        assert (message.to, message.body, message.html, message.subject) == ("", "", "", "")
        assert message.status == Message.Status.CANCELLED
    assert Message.objects.get(case=other).to == "otra@example.com"
    assert erase_message_personal_data([case.pk]) == 0


def test_the_schedule_is_one_list_for_celery_beat_and_the_embedded_worker(settings):
    from celery.schedules import crontab

    from ventanilla.celery import beat_schedule

    names = {job.name for job in schedule()}
    assert names == {"drain_outbox", "sla_sweep", "auto_close_resolved", "survey_reminders", "supervisor_digest",
                     "monthly_publication", "contact_retention", "escalate_alerts"}
    beat = beat_schedule()
    assert set(beat) == names
    assert isinstance(beat["supervisor_digest"]["schedule"], crontab)
    from ventanilla.celery import app

    assert app.conf.timezone == settings.TIME_ZONE


def test_the_embedded_scheduler_runs_daily_jobs_once_a_local_day(settings):
    tz = timezone.get_default_timezone()
    scheduler = EmbeddedScheduler()
    morning = dt.datetime(2027, 3, 2, 6, 0, tzinfo=tz)
    due = {job.name for job in scheduler.due(morning)}
    assert "drain_outbox" in due and "supervisor_digest" not in due
    for job in scheduler.jobs:
        if job.name in due:
            scheduler.mark(job, morning)
    later = morning.replace(hour=settings.DAILY_JOBS_HOUR, minute=5)
    assert "supervisor_digest" in {job.name for job in scheduler.due(later)}
    digest = next(job for job in scheduler.jobs if job.name == "supervisor_digest")
    scheduler.mark(digest, later)
    assert "supervisor_digest" not in {job.name for job in scheduler.due(later + timedelta(hours=3))}
    assert "supervisor_digest" in {job.name for job in scheduler.due(later + timedelta(days=1))}
