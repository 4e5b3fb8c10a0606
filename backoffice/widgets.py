"""Widgets shared by the back office's forms."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A select whose options are written in Python. Django renders each option through its own template
    (a fraction of a millisecond each); the console has some 300 options (districts, entities), which made
    template work most of the page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html("<select name=\"{}\"{}>", widget["name"], flatatt(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html("<optgroup label=\"{}\">", group))
            for option in options:
                parts.append(
                    format_html(
                        "<option value=\"{}\"{}>{}</option>",
                        option["value"],
                        mark_safe(" selected") if option["selected"] else "",
                        option["label"],
                    )
                )
            if group:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every option label and value above is escaped before it is joined
