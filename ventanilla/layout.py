"""What the shared page layout (ventanilla/templates/base.html) needs on every public page: the main
navigation, the language switch and the jurisdiction's data credits.

The language switch is a pair of plain links to the same page in the other language (Spanish at /,
English under /en/), so it works without JavaScript, without a cookie and without a form post, and
each language version of a page has its own address that can be shared and cached.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

# (path without language prefix, label). The mounts are fixed in ventanilla/urls.py. Transparency joins
# when its pages exist: a navigation link must never lead to a missing page.
MAIN_NAVIGATION = [
    ("/tramites/", _("Procedures")),
    ("/reportar/", _("Report a problem")),
    ("/seguimiento/", _("Track a report")),
    ("/transparencia/", _("Published figures")),
]


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    current: bool = False
    lang: str = ""


def _language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def split_language_prefix(path: str) -> tuple[str, str]:
    """("/en/tramites/", ...) -> ("en", "/tramites/"); a path without prefix is in the default language."""
    for code in _language_codes():
        if code != settings.LANGUAGE_CODE and (path == f"/{code}" or path.startswith(f"/{code}/")):
            return code, path[len(code) + 1 :] or "/"
    return settings.LANGUAGE_CODE, path


def localized_path(path: str, language: str | None = None) -> str:
    """A path of the public site in a language: the default language has no prefix (i18n_patterns)."""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


def path_in_language(full_path: str, language: str) -> str:
    """The same page (query string included) in another language. A sign-in page's `next` (a path of this
    site) moves with it, so that switching language there also switches the page it leads to."""
    path, _sep, query = full_path.partition("?")
    if query:
        params = QueryDict(query, mutable=True)
        following = params.get("next", "")
        if following.startswith("/") and not following.startswith("//") and len(params.getlist("next")) == 1:
            params["next"] = path_in_language(following, language)
            query = params.urlencode(safe="/")
            full_path = f"{path}?{query}"
    translated = translate_url(full_path, language)
    if translated != full_path:
        return translated
    # Unnamed URL patterns and 404 pages cannot be reversed; the prefix rule still holds for them.
    _current, bare = split_language_prefix(path)
    target = localized_path(bare, language)
    return f"{target}?{query}" if query else target


def language_links(request: HttpRequest) -> list[Link]:
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    full_path = request.get_full_path()
    links = []
    for code in _language_codes():
        name = get_language_info(code)["name_local"]
        links.append(
            Link(
                url=full_path if code == current else path_in_language(full_path, code),
                label=name[:1].upper() + name[1:],
                current=code == current,
                lang=code,
            )
        )
    return links


def main_navigation(request: HttpRequest) -> list[Link]:
    _language, bare = split_language_prefix(request.path)
    return [Link(url=localized_path(path), label=label, current=bare.startswith(path)) for path, label in MAIN_NAVIGATION]


@lru_cache(maxsize=1)
def _jurisdiction() -> dict:
    try:
        return json.loads((settings.JURISDICTION_DATA_DIR / "jurisdiction.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def jurisdiction_name() -> str:
    """The territory the service covers, as the jurisdiction's data set names it ("Panamá")."""
    return _jurisdiction().get("name", "")


def boundary_attribution() -> str:
    """The credit the boundary data's licence asks for (e.g. CC BY 4.0), from the jurisdiction's data set."""
    return _jurisdiction().get("boundaries", {}).get("attribution", "")


def layout_context(request: HttpRequest) -> dict:
    # Lazy: computed once, and only when a template shows the layout (not for e-mails or JSON).
    return {
        "language_links": SimpleLazyObject(lambda: language_links(request)),
        "main_navigation": SimpleLazyObject(lambda: main_navigation(request)),
        "boundary_attribution": SimpleLazyObject(boundary_attribution),
        "home_url": SimpleLazyObject(lambda: localized_path("/")),
        "privacy_url": SimpleLazyObject(lambda: localized_path("/privacidad/")),
    }
