"""Text messages fit in at most two SMS segments, always in GSM-7 (the `gsm0338` codec).

Why GSM-7 and not UCS-2: a UCS-2 segment holds 70 characters (67 when concatenated), so two segments
would leave 134 characters for Spanish with accents; GSM-7 gives 306 (2 x 153) and already has ñ, é,
ü, ¿ and ¡. The letters it lacks (á, í, ó, ú and their capitals, emoji...) are transliterated by
removing the accent (á -> a), which every Spanish reader understands; anything else becomes "?".
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

CODEC = "gsm03.38"
SINGLE_SEGMENT_SEPTETS = 160
CONCATENATED_SEGMENT_SEPTETS = 153
MAX_SEGMENTS = 2
MAX_SEPTETS = MAX_SEGMENTS * CONCATENATED_SEGMENT_SEPTETS


@lru_cache(maxsize=4096)
def septets(char: str) -> int:
    """1 for the basic set, 2 for the extension table ({ } [ ] ~ | € ^ \\), 0 when GSM-7 lacks it."""
    try:
        return len(char.encode(CODEC))
    except UnicodeEncodeError:
        return 0


def transliterate(text: str) -> str:
    out = []
    for char in text:
        if char in "\r\t":
            char = " "
        if septets(char):
            out.append(char)
            continue
        bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if bare and all(septets(c) for c in bare):
            out.append(bare)
        elif unicodedata.category(char).startswith("C") or char in "\u2028\u2029":
            continue  # control and format characters are dropped
        elif char in "\u2018\u2019":
            out.append("'")
        elif char in "\u201c\u201d":
            out.append('"')
        elif char in "\u2013\u2014":
            out.append("-")
        elif char == "\u2026":
            out.append("...")
        else:
            out.append("?")
    return "".join(out)


def length(text: str) -> int:
    """GSM-7 septets of an already transliterated text."""
    return sum(septets(c) for c in text)


def segments(text: str) -> int:
    n = length(text)
    if n <= SINGLE_SEGMENT_SEPTETS:
        return 1
    return -(-n // CONCATENATED_SEGMENT_SEPTETS)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word and marked with "..." when cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 3].rsplit(" ", 1)[0]
    return cut + "..."


def fit(text: str) -> str:
    """Transliterated to GSM-7 and cut to two segments. Callers shorten the free text they quote (a
    question, an answer) first so that the link after it survives; this cut is the last resort."""
    text = transliterate(" ".join(text.split()))
    if length(text) <= MAX_SEPTETS:
        return text
    out, used = [], 0
    for char in text:
        cost = septets(char)
        if used + cost > MAX_SEPTETS - 3:
            break
        out.append(char)
        used += cost
    return "".join(out).rstrip() + "..."
