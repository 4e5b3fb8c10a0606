"""Small helpers for the board's templates (the same markup serves the server-rendered rows and the
script's row template)."""

from django import template

register = template.Library()


@register.filter
def hidden_unless(state: str | None, states: str) -> str:
    """`hidden` unless the alert's state is one of the space-separated `states` (the row template,
    with no state, shows everything: the script hides what does not apply)."""
    if not state:
        return ""
    return "" if state in states.split() else "hidden"

