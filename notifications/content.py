"""What each message says, in the recipient's language: a subject, paragraphs and a link for e-mail
(rendered as plain text and HTML by the `notifications/email.*` templates), and one short text for SMS
and WhatsApp (notifications/sms.py keeps it within two segments)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import sms


@dataclass
class Content:
    subject: str
    paragraphs: list[str]
    link_label: str = ""
    link_url: str = ""
    # The text-message version; without it the channel is e-mail only.
    text: str = ""
    unsubscribe_url: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (line, link) rows of a digest

    def email_bodies(self) -> tuple[str, str]:
        context = {"content": self, "site_url": settings.SITE_URL}
        return (
            render_to_string("notifications/email.txt", context).strip() + "\n",
            render_to_string("notifications/email.html", context),
        )


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def tracking_url(case) -> str:
    return absolute(reverse("track", args=[case.tracking_token]))


def survey_url(case) -> str:
    return absolute(reverse("survey", args=[case.tracking_token]))


def office_url(case) -> str:
    # The back office's case page (/oficina/casos/<number>/, DESIGN.md). Built by hand: the back office
    # is another branch's work and its URL names are not known here.
    prefix = "" if translation.get_language() == settings.LANGUAGE_CODE else f"/{translation.get_language()}"
    return absolute(f"{prefix}/oficina/casos/{case.number}/")


def unsubscribe_url(case) -> str:
    from .unsubscribe import unsubscribe_token

    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(case)]))


def _stop_hint() -> str:
    return _("Reply BAJA to stop these messages.")


def _text(*parts: str) -> str:
    return sms.fit(" ".join(part for part in parts if part))


def citizen_content(kind: str, case, event=None, original=None) -> Content:
    """The message a case's reporter receives. Call inside translation.override(contact language)."""
    number = case.number
    entity = case.entity.name if case.entity else ""
    message = (event.message if event else "") or ""
    track = tracking_url(case)
    follow = _("Follow your case")
    if kind == "received":
        content = Content(
            _("We received your report %(number)s") % {"number": number},
            [
                _("Thank you. We received your report %(number)s (%(category)s).") % {"number": number, "category": case.category.name},
                _("%(entity)s is in charge of it. We will write to you when it changes.") % {"entity": entity} if entity else "",
            ],
            follow,
            track,
            _text(_("311: we received your report %(number)s. Follow it at") % {"number": number}, track, _stop_hint()),
        )
    elif kind == "info_requested":
        content = Content(
            _("Case %(number)s: we need more information") % {"number": number},
            [_("The institution working on case %(number)s asks:") % {"number": number}, message,
             _("Answer on the tracking page or by replying to this text message.")],
            _("Answer the question"),
            track,
            _text(_("311, case %(number)s: the institution asks:") % {"number": number},
                  sms.shorten(message, 150), _("Reply to this message to answer.")),
        )
    elif kind == "transferred":
        content = Content(
            _("Case %(number)s was transferred") % {"number": number},
            [_("Your case %(number)s was transferred to %(entity)s.") % {"number": number, "entity": entity},
             _("Reason: %(reason)s") % {"reason": message} if message else ""],
            follow,
            track,
            _text(_("311: your case %(number)s was transferred to %(entity)s.") % {"number": number, "entity": entity}, track),
        )
    elif kind == "resolved":
        survey = survey_url(case)
        content = Content(
            _("Case %(number)s was resolved") % {"number": number},
            [_("Your case %(number)s was resolved. The answer of %(entity)s:") % {"number": number, "entity": entity},
             message,
             _("Tell us how we did: it takes one minute. If the problem is not solved, you can reopen the case within %(days)d days on the tracking page.")
             % {"days": settings.CASE_REOPEN_WINDOW_DAYS}],
            _("Answer the survey"),
            survey,
            _text(_("311: your case %(number)s was resolved: %(answer)s Survey:") % {"number": number, "answer": sms.shorten(message, 110)}, survey),
        )
    elif kind == "reopened":
        content = Content(
            _("Case %(number)s was reopened") % {"number": number},
            [_("Your case %(number)s was reopened. The institution will work on it again.") % {"number": number}],
            follow,
            track,
            _text(_("311: your case %(number)s was reopened.") % {"number": number}, track),
        )
    elif kind == "closed":
        content = Content(
            _("Case %(number)s is closed") % {"number": number},
            [_("Your case %(number)s is closed. Thank you for reporting it.") % {"number": number}],
            follow,
            track,
            _text(_("311: your case %(number)s is closed. Thank you.") % {"number": number}),
        )
    elif kind == "merged":
        into = original.number if original else ""
        content = Content(
            _("Your report %(number)s was merged into case %(original)s") % {"number": number, "original": into},
            [_("Your report %(number)s was merged into case %(original)s, which is about the same problem.") % {"number": number, "original": into},
             _("We will tell you when case %(original)s is resolved.") % {"original": into}],
            follow,
            track,
            _text(_("311: your report %(number)s was merged into case %(original)s, about the same problem. We will tell you when it is resolved.")
                  % {"number": number, "original": into}),
        )
    elif kind == "original_resolved":
        into = original.number if original else ""
        content = Content(
            _("Case %(original)s, which includes your report, was resolved") % {"original": into},
            [_("Case %(original)s, into which your report %(number)s was merged, was resolved. The answer:") % {"original": into, "number": number},
             message],
            follow,
            track,
            _text(_("311: case %(original)s, which includes your report %(number)s, was resolved: %(answer)s")
                  % {"original": into, "number": number, "answer": sms.shorten(message, 120)}),
        )
    elif kind == "survey_reminder":
        survey = survey_url(case)
        content = Content(
            _("How did we do with case %(number)s?") % {"number": number},
            [_("Your case %(number)s was resolved. Your answer to our short survey helps the institutions improve.") % {"number": number}],
            _("Answer the survey"),
            survey,
            _text(_("311: how did we do with case %(number)s? Survey:") % {"number": number}, survey),
        )
    else:
        raise ValueError(kind)
    content.paragraphs = [p for p in content.paragraphs if p]
    content.unsubscribe_url = unsubscribe_url(case)
    return content


def assigned_content(case) -> Content:
    due = date_format(timezone.localtime(case.due_at), "DATE_FORMAT") if case.due_at else "—"
    return Content(
        _("Case %(number)s was assigned to you") % {"number": case.number},
        [_("Case %(number)s (%(category)s) was assigned to you. It is due on %(due)s.")
         % {"number": case.number, "category": case.category.name, "due": due}],
        _("Open the case"),
        office_url(case),
    )


def service_level_content(case, overdue: bool) -> Content:
    due = date_format(timezone.localtime(case.due_at), "DATE_FORMAT")
    values = {"number": case.number, "category": case.category.name, "due": due}
    if overdue:
        subject = _("Case %(number)s is overdue") % values
        line = _("Case %(number)s (%(category)s) was due on %(due)s and is still open.") % values
    else:
        subject = _("Case %(number)s is due soon") % values
        line = _("Case %(number)s (%(category)s) is due on %(due)s.") % values
    return Content(subject, [line], _("Open the case"), office_url(case))


def digest_content(entity, overdue: list, due_soon: list, day) -> Content:
    def rows(cases, label):
        return [
            (
                _("%(number)s · %(category)s · due %(due)s · %(level)s")
                % {"number": c.number, "category": c.category.name,
                   "due": date_format(timezone.localtime(c.due_at), "DATE_FORMAT"), "level": label},
                office_url(c),
            )
            for c in cases
        ]

    values = {"entity": entity.name, "day": date_format(day, "DATE_FORMAT"), "overdue": len(overdue), "due_soon": len(due_soon)}
    return Content(
        _("%(entity)s: %(overdue)d overdue and %(due_soon)d due soon") % values,
        [_("Open cases of %(entity)s that need attention on %(day)s: %(overdue)d overdue, %(due_soon)d due soon.") % values],
        items=rows(overdue, _("overdue")) + rows(due_soon, _("due soon")),
    )
