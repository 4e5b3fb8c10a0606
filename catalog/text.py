"""Text handling for catalog search: accent folding, tokens, stop words, stems and typo distance.

The same functions process the indexed procedures and the citizen's query, so "Cédula", "cedula" and
"CÉDULAS" all end up as the same term whatever the database is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+")

# Words that carry no meaning for finding a procedure: articles, prepositions, question words and the
# verbs citizens put around what they want ("¿cómo saco mi cédula?", "how do I get a passport").
# They are language data, not jurisdiction data, so they live here and not in the synonyms file.
STOP_WORDS = frozenset(
    """
    a al algo como con cual cuales cuando de del donde e el ella en entre es esa ese eso esta este esto hay la las le les lo los
    me mi mis muy necesito no nos o para pero por puedo que quiero se si sin sobre su sus te tengo tu un una uno unos unas y ya
    saco sacar obtengo obtener hago hacer tramito tramitar consigo conseguir pido pedir debo deseo busco
    an and are as at be by can do does for from get getting how i in is it me my need of on or the to want what where which who
    with you your
    """.split()
)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Latin letters with accents, precomputed: folding is most of the time spent building the index.
_LATIN = str.maketrans({chr(code): _strip_marks(chr(code)) for code in range(0xC0, 0x250)})


def fold(text: str) -> str:
    """Lower case without accents or diacritics: "Señalización ÁREA" -> "senalizacion area"."""
    folded = (text or "").translate(_LATIN).lower()
    return folded if folded.isascii() else _strip_marks(folded)


def words(text: str) -> list[str]:
    """Folded words, stop words and one-letter tokens removed (numbers kept: "form 43", "ley 81")."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


_STEMMERS = {"es": snowballstemmer.stemmer("spanish"), "en": snowballstemmer.stemmer("english")}


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The Snowball stem of an already folded word ("licencias" -> "licenci", "certificates" -> "certif")."""
    if word.isdigit():
        return word
    return _STEMMERS[language].stemWord(word)


def trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def typo_budget(word: str) -> int:
    """How many edits a word of this length may carry and still be recognised: none for short words,
    where one edit already makes another word ("pase" / "paso"), one up to seven letters, two beyond."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 7 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent transpositions, the commonest typo:
    "pasaprote"), giving up early with `limit + 1` once the distance must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous_previous[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]
