"""The queue's table rows, written in Python. Fifty rows through the template engine (an include, a
`{% url %}`, a translation and six filters per row) were about a third of the queue page's CPU time; this
writes the same markup with one reverse() per page and one date formatting per distinct day."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from cases.models import Case

ROW = (
    '\n      <tr class="govuk-table__row" data-case="{number}">'
    '\n        <td class="govuk-table__cell"><input type="checkbox" name="cases" value="{number}" id="pick-{number}" aria-label="{select}"></td>'
    '\n        <td class="govuk-table__cell"><a class="govuk-link" href="{href}">{number}</a></td>'
    '\n        <td class="govuk-table__cell">{category}</td>'
    '\n        <td class="govuk-table__cell">{state}</td>'
    '\n        <td class="govuk-table__cell">{level}</td>'
    '\n        <td class="govuk-table__cell">{due}</td>'
    '\n        <td class="govuk-table__cell">{received}</td>'
    '\n        <td class="govuk-table__cell">{assignee}</td>'
    '\n        <td class="govuk-table__cell">{district}</td>'
    "\n      </tr>"
)


def level_tags() -> dict[str, SafeString]:
    """The service-level tag per level, as backoffice/includes/level.html writes it (the case page's)."""
    return {
        "overdue": format_html('<strong class="govuk-tag govuk-tag--red" data-level="overdue">{}</strong>', gettext("Overdue")),
        "due_soon": format_html('<strong class="govuk-tag govuk-tag--yellow" data-level="due_soon">{}</strong>', gettext("Due soon")),
        "on_track": format_html('<strong class="govuk-tag govuk-tag--green" data-level="on_track">{}</strong>', gettext("On track")),
    }


class ShortDates:
    """`value|date:"SHORT_DATE_FORMAT"` in the current time zone, formatted once per local day: the
    format holds no time of day (d/m/Y, m/d/Y), and fifty rows share a few days."""

    def __init__(self):
        self._days: dict = {}

    def __call__(self, value) -> str:
        if value is None:
            return ""
        local = template_localtime(value)
        day = local.date()
        if day not in self._days:
            self._days[day] = date_format(local, "SHORT_DATE_FORMAT")
        return self._days[day]


def render(rows: list[tuple[Case, str]]) -> SafeString:
    """The <tr> of each (case, service level) pair, in the queue's columns."""
    head, tail = reverse("backoffice:case", args=["~"]).rsplit("~", 1)
    levels, short = level_tags(), ShortDates()
    # get_state_display() builds the dict of choices on each call.
    states = {value: str(label) for value, label in Case._meta.get_field("state").flatchoices}
    select = gettext("Select case %(number)s")
    parts = []
    for case, level in rows:
        number = escape(case.number)
        parts.append(
            ROW.format(
                number=number,
                select=escape(select % {"number": case.number}),
                href=escape(f"{head}{quote(case.number)}{tail}"),
                category=escape(case.category.name),
                state=escape(states.get(case.state, case.state)),
                level=levels.get(level, ""),
                due=escape(short(case.due_at)),
                received=escape(short(case.created_at)),
                assignee=escape(case.assignee.get_username()) if case.assignee else "—",
                district=escape(case.district.name) if case.district else "",
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped before it goes in
