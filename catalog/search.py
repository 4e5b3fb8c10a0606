"""Finding the procedure a citizen means, the same way on SQLite and PostgreSQL.

`search_procedures(query, entity=None, theme=None, limit=50)` is the one entry point (pages and the
REST API call it). It ranks with an in-process index of the published procedures (catalog/search_index.py;
docs/catalog.md says why not the databases' own full-text search): words are folded (no accents, lower
case), stop words dropped and Spanish and English fields stemmed with Snowball.

At query time words the catalog does not know are corrected by edit distance (candidates found through
shared trigrams), the last word may be unfinished (as the citizen types), and phrases from the
jurisdiction's synonyms file ("brevet" = "licencia de conducir") add their equivalents, a little below
the words the citizen typed. Procedures that match more of the query's ideas rank above those that
match part of it.

The index is cached per process and rebuilt when the catalog changes: every search first reads a
freshness key (count, highest id and latest `updated_at` of procedures, latest entity change) in one
small query, and the synonyms file's modification time.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection

from entities.models import Entity

from .models import Procedure
from .search_index import SearchIndex, Synonyms, build_index, es_stems, pair_term
from .text import edit_distance, stem, trigrams, typo_budget, words

# How much an equivalent counts compared with the word the citizen typed.
SYNONYM_WEIGHT = 0.85
TYPO_WEIGHTS = {1: 0.8, 2: 0.6}
PREFIX_WEIGHT = 0.9
MAX_CORRECTIONS = 3
MAX_COMPLETIONS = 5
MAX_QUERY_WORDS = 12
# A procedure that matches half of the query's ideas keeps a quarter of its score.
COVERAGE_EXPONENT = 2.0


# Results that score below this share of the best one are weaker matches: a page lists them only when
# asked (bench/catalog_search.py: "pasaporte" keeps its 4 good results out of 19; "cédula" 10 of 79).
WEAK_MATCH_RATIO = 0.3


def synonyms_path() -> Path:
    return Path(settings.CATALOG_SYNONYMS_FILE)


# --- Queries ------------------------------------------------------------------------------------

Alternative = tuple[tuple[str, ...], float]  # words that express one idea of the query, and how much they count


def corrections(index: SearchIndex, word: str) -> list[Alternative]:
    """The vocabulary words closest to a word the catalog does not know, best first."""
    budget = typo_budget(word)
    if not budget:
        return []
    grams = trigrams(word)
    shared: dict[str, int] = defaultdict(int)
    for gram in grams:
        for candidate in index.by_trigram.get(gram, ()):
            shared[candidate] += 1
    # Each edit changes at most four padded trigrams (a transposition), so fewer shared ones cannot be close.
    needed = max(1, len(grams) - 4 * budget)
    found: list[tuple[int, int, str]] = []
    for candidate, count in shared.items():
        if count >= needed and abs(len(candidate) - len(word)) <= budget:
            distance = edit_distance(word, candidate, budget)
            if distance <= budget:
                found.append((distance, -index.vocabulary[candidate], candidate))
    if not found:
        return []
    found.sort()
    best = found[0][0]
    return [((c,), TYPO_WEIGHTS[d]) for d, _, c in found if d == best][:MAX_CORRECTIONS]


def completions(index: SearchIndex, prefix: str) -> list[Alternative]:
    """Words that start with what the citizen is still typing ("pasap" -> "pasaporte")."""
    if len(prefix) < 3:
        return []
    start = bisect.bisect_left(index.sorted_vocabulary, prefix)
    matches = []
    for word in index.sorted_vocabulary[start:]:
        if not word.startswith(prefix):
            break
        matches.append(word)
    matches.sort(key=lambda w: -index.vocabulary[w])
    return [((w,), PREFIX_WEIGHT) for w in matches[:MAX_COMPLETIONS]]


def query_ideas(index: SearchIndex, query: str) -> list[list[Alternative]]:
    """Split a query into ideas, each with the ways it may be written in the catalog."""
    typed = words(query)[:MAX_QUERY_WORDS]
    readings: list[list[Alternative]] = []
    for position, word in enumerate(typed):
        if index.knows(word):
            readings.append([((word,), 1.0)])
            continue
        # The last word may be unfinished: while the citizen types, a completion is likelier than a typo.
        options = completions(index, word) if position == len(typed) - 1 else []
        readings.append(options or corrections(index, word))

    # The best reading of each word, used to spot synonym phrases ("sedula" reads as "cedula").
    best = [options[0][0][0] if options else "" for options in readings]
    ideas: list[list[Alternative]] = []
    position = 0
    while position < len(typed):
        phrase = _synonym_phrase(index, best, readings, position)
        if phrase is not None:
            ideas.append(phrase[0])
            position += phrase[1]
            continue
        if readings[position]:
            ideas.append(readings[position])
        position += 1
    return ideas


def _synonym_phrase(
    index: SearchIndex, best: list[str], readings: list[list[Alternative]], position: int
) -> tuple[list[Alternative], int] | None:
    """The longest synonyms-file phrase that starts at `position`: its alternatives and its length in words."""
    synonyms = index.synonyms
    for length in range(min(synonyms.longest, len(best) - position), 0, -1):
        span = best[position : position + length]
        groups = synonyms.by_stems.get(es_stems(span)) if all(span) else None
        if not groups:
            continue
        weight = min(options[0][1] for options in readings[position : position + length])
        alternatives: list[Alternative] = [(tuple(span), weight)]
        # An equivalent counts per word typed, so that "cédula de identidad personal" standing in for
        # "cédula" does not outweigh the one word the citizen actually wrote.
        for group in groups:
            alternatives += [(phrase, weight * SYNONYM_WEIGHT * length / len(phrase)) for phrase in synonyms.groups[group]]
        if length == 1:
            alternatives += readings[position][1:]
        return alternatives, length
    return None


def _word_vector(index: SearchIndex, word: str) -> np.ndarray | None:
    """A word's score in every procedure: the better of its Spanish and English readings."""
    spanish = index.term_vector(("es", stem(word, "es")))
    english = index.term_vector(("en", stem(word, "en")))
    if spanish is None or english is None:
        return spanish if english is None else english
    return np.maximum(spanish, english, out=spanish)


def _pair_vector(index: SearchIndex, first: str, second: str) -> np.ndarray | None:
    spanish = index.term_vector(pair_term(first, second, "es"))
    english = index.term_vector(pair_term(first, second, "en"))
    if spanish is None or english is None:
        return spanish if english is None else english
    return np.maximum(spanish, english, out=spanish)


def _idea_vector(index: SearchIndex, alternatives: list[Alternative]) -> np.ndarray:
    """An idea's score in every procedure: its best-scoring way of being written."""
    best = np.zeros(index.size, dtype=np.float32)
    seen: set[tuple[str, ...]] = set()
    for phrase, weight in alternatives:
        if phrase in seen:
            continue
        seen.add(phrase)
        parts = [_word_vector(index, word) for word in phrase]
        parts += [_pair_vector(index, first, second) for first, second in zip(phrase, phrase[1:])]
        parts = [part for part in parts if part is not None]
        if parts:
            np.maximum(best, np.sum(parts, axis=0) * weight, out=best)
    return best


def rank(index: SearchIndex, query: str, allowed: np.ndarray | None = None, limit: int | None = None):
    """Document numbers of the procedures that match, best first, and their scores.

    `allowed` is a boolean mask of the procedures the caller may return (entity or theme filters).
    """
    ideas = [_idea_vector(index, alternatives) for alternatives in query_ideas(index, query)]
    ideas = [vector for vector in ideas if vector.any()]
    if not ideas or not index.size:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    stacked = np.vstack(ideas)
    coverage = np.count_nonzero(stacked, axis=0) / len(ideas)
    scores = stacked.sum(axis=0) * coverage**COVERAGE_EXPONENT
    if allowed is not None:
        scores = np.where(allowed, scores, 0)
    numbers = np.flatnonzero(scores)
    # Best score first; equal scores in alphabetical order, so results never shuffle between requests.
    order = np.lexsort((index.name_order[numbers], -scores[numbers]))
    numbers = numbers[order][:limit]
    return numbers, scores[numbers]


# --- The per-process cache ----------------------------------------------------------------------

_lock = threading.Lock()
_cached: tuple[tuple, SearchIndex] | None = None


def _freshness_key() -> tuple:
    """What changes whenever the index would: one query over the primary key and the indexed
    `updated_at`, plus the entity history (an entity's name is indexed too)."""
    quote = connection.ops.quote_name
    history = Entity.history.model._meta
    # Only quoted identifiers from our own models are formatted in; there is no input in this query.
    sql = "SELECT COUNT(*), MAX({pk}), MAX({updated}), (SELECT MAX({history_pk}) FROM {history}) FROM {procedures}".format(  # noqa: S608, E501
        pk=quote(Procedure._meta.pk.column),
        updated=quote(Procedure._meta.get_field("updated_at").column),
        history_pk=quote(history.pk.column),
        history=quote(history.db_table),
        procedures=quote(Procedure._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    path = synonyms_path()
    return (*row, str(path), path.stat().st_mtime_ns if path.exists() else None)


def get_index() -> SearchIndex:
    """The index of the published procedures, rebuilt if the catalog changed since it was built."""
    global _cached
    key = _freshness_key()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
        procedures = Procedure.objects.published().select_related("entity").order_by("pk")
        index = build_index(procedures.iterator(chunk_size=500), Synonyms.load(synonyms_path()))
        _cached = (key, index)
        return index


def invalidate() -> None:
    """Forget this process's index (after changing procedures with QuerySet.update(), which leaves
    `updated_at` as it was)."""
    global _cached
    with _lock:
        _cached = None


def _code(value: Any) -> str | None:
    return None if value is None else getattr(value, "code", value)


def search_procedures(query: str, *, entity=None, theme=None, limit: int = 50) -> list[Procedure]:
    """Published procedures that match `query`, best first (at most `limit`).

    `entity` and `theme` narrow the results; each may be a model instance or its code. An empty query
    lists the matching procedures by name. Each returned procedure carries `search_score` (0 for a
    listing without query).
    """
    entity_code, theme_code = _code(entity), _code(theme)
    limit = max(0, int(limit))
    procedures = Procedure.objects.published().select_related("entity")
    if entity_code:
        procedures = procedures.filter(entity__code=entity_code)
    if theme_code:
        procedures = procedures.filter(themes__code=theme_code)
    if not (query or "").strip():
        listing = list(procedures.order_by("name", "pk")[:limit])
        for procedure in listing:
            procedure.search_score = 0.0
        return listing

    index = get_index()
    allowed = None
    if entity_code or theme_code:
        allowed = np.isin(index.procedure_ids, np.fromiter(procedures.values_list("pk", flat=True), dtype=np.int64))
    numbers, scores = rank(index, query, allowed, limit)
    ids = [int(pk) for pk in index.procedure_ids[numbers]]
    found = procedures.order_by().in_bulk(ids)
    results = []
    for pk, score in zip(ids, scores):
        procedure = found.get(pk)
        if procedure is not None:
            procedure.search_score = float(score)
            results.append(procedure)
    return results


def split_weak_matches(results: list[Procedure], ratio: float = WEAK_MATCH_RATIO) -> tuple[list[Procedure], list[Procedure]]:
    """(good matches, weaker matches) of ranked results: a result is weaker when its score is below `ratio`
    times the best one. A listing without words (scores 0) has no weaker matches."""
    if not results or results[0].search_score <= 0:
        return results, []
    floor = results[0].search_score * ratio
    good = [procedure for procedure in results if procedure.search_score >= floor]
    return good, results[len(good) :]
