"""The Django admin for answer templates: administrators keep the templates of the categories no
supervisor owns (municipal categories, which every municipality shares, and the oversight body's
sensitive ones). Supervisors edit their entity's on `/oficina/supervision/categorias/<code>/respuestas/`.
Both go through the same rules (`answer_templates.validate_template`) and keep the history."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from .answer_templates import answerable_states, validate_template
from .models import AnswerTemplate


class AnswerTemplateAdminForm(forms.ModelForm):
    state = forms.ChoiceField(required=False)

    class Meta:
        model = AnswerTemplate
        fields = ["category", "title", "language", "state", "body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].label = AnswerTemplate._meta.get_field("state").verbose_name
        self.fields["state"].choices = [("", "—")] + [(s.value, s.label) for s in answerable_states()]

    def clean(self):
        data = super().clean()
        if data.get("category") is None:
            return data
        try:
            data.update(
                validate_template(
                    category=data["category"],
                    template=self.instance if self.instance.pk else None,
                    **{name: data.get(name) or "" for name in ("title", "body", "language", "state")},
                )
            )
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        return data


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(SimpleHistoryAdmin):
    form = AnswerTemplateAdminForm
    list_display = ["title", "category", "language", "state"]
    list_filter = ["language", "category__municipal", "category__sensitive"]
    search_fields = ["title", "body", "category__code", "category__name_es"]
    autocomplete_fields = ["category"]
