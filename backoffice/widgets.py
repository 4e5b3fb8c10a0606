"""Widgets shared by the back office's forms."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: in order, `name` for True, nothing for False, else name="value"."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html (text, hidden, number, password, e-mail, checkbox)."""
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html."""
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


WRITERS = {
    **{
        f"django/forms/widgets/{kind}.html": _input
        for kind in ("input", "text", "hidden", "number", "password", "email", "url", "tel", "search", "checkbox")
    },
    "django/forms/widgets/textarea.html": _textarea,
}


class PythonWidgetRenderer(DjangoTemplates):
    """Django's form renderer, but the plain inputs and the textarea are written in Python, the same markup
    as Django's widget templates (which the renderer strips, as here). The case page has some twenty such
    widgets (every action's version field and message), each a template render of a fifth of a
    millisecond. Any other template (errors, other widgets) goes to the templates as before."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is None:
            return super().render(template_name, context, request=request)
        return mark_safe(write(context["widget"]))  # noqa: S308 - every name and value is escaped above


class Option:
    """One option of an OptionList, its markup written (and escaped) once. `pk`, `active` and `sensitive`
    let one cached list serve selects that show part of it (backoffice/options.py)."""

    __slots__ = ("value", "label", "html", "pk", "active", "sensitive")

    def __init__(self, value: str, label: str, *, pk=None, active: bool = True, sensitive: bool = False):
        self.value, self.label, self.pk, self.active, self.sensitive = value, label, pk, active, sensitive
        self.html = str(format_html('<option value="{}">{}</option>', value, label))


class OptionList(BaseChoiceIterator):
    """Choices whose options are already written: FastSelect joins their markup and marks the chosen one.
    Iterating gives (value, label) pairs like any choices, so the widget's other uses (the `required`
    attribute looks at the first choice) behave as with a list. The empty option's label is lazy (a
    translation) and is written at each render."""

    def __init__(self, options: Iterable[Option], empty_label=None):
        self.options = options
        self.empty_label = empty_label

    def __iter__(self):
        if self.empty_label is not None:
            yield "", self.empty_label
        for option in self.options:
            yield option.value, option.label

    def markup(self, chosen: set[str]) -> str:
        parts = []
        if self.empty_label is not None:
            parts.append(format_html('<option value=""{}>{}</option>', mark_safe(" selected") if "" in chosen else "", self.empty_label))
        for option in self.options:
            if option.value in chosen:
                # Django's select marks only the first match; values are unique here.
                parts.append(option.html.replace("\">", '" selected>', 1))
            else:
                parts.append(option.html)
        return "".join(parts)


class QuerysetOptions:
    """The options of a queryset, for an OptionList: the queryset is read when the select is written (a
    form that is only validated never reads it), and once for every select given the same queryset (the
    case page's assign and reassign)."""

    def __init__(self, queryset, value, label):
        self.queryset, self.value, self.label = queryset, value, label

    def __iter__(self):
        return (Option(self.value(item), self.label(item)) for item in self.queryset)


class FastSelect(forms.Select):
    """A select whose options are written in Python. Django renders each option through its own template
    (a fraction of a millisecond each); the console has some 300 options (districts, entities), which made
    template work most of the page's time. With an OptionList as choices the options' markup is reused."""

    def render(self, name, value, attrs=None, renderer=None):
        if not isinstance(self.choices, OptionList):
            return self._render_options(name, value, attrs)
        attrs = self.build_attrs(self.attrs, attrs)  # what Widget.get_context gives the template
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        head = format_html('<select name="{}"{}>', name, flatatt(attrs))
        return mark_safe(f"{head}{self.choices.markup(set(self.format_value(value)))}</select>")  # noqa: S308 - head and every option are escaped (format_html)

    def _render_options(self, name, value, attrs):
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
