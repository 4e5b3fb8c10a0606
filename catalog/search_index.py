"""The in-memory index behind catalog search (see catalog/search.py for queries, docs/catalog.md for why).

Every term's BM25F score for every procedure is computed when the index is built, weighting where the
word appears (name > keywords > summary > entity > the rest of the page). Scores are kept as sparse
numpy arrays, so a query adds up a few vectors instead of looping over procedures in Python.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from .models import Procedure
from .text import fold, stem, trigrams, words

K1 = 1.2
FIELDS: tuple[tuple[str, str, float, float], ...] = (
    # (field, language, weight, b). Names are short and decisive, so their length matters little (low b):
    # "Pasaporte ordinario (primera vez o renovación)" must not lose "pasaporte" to a shorter name.
    ("name", "es", 6.0, 0.3),
    ("name_en", "en", 6.0, 0.3),
    ("keywords", "es", 4.0, 0.3),
    ("summary", "es", 2.0, 0.75),
    ("summary_en", "en", 2.0, 0.75),
    ("entity", "es", 1.5, 0.3),
    ("body", "es", 1.0, 0.75),
)
# Fields whose adjacent words are also indexed as pairs, so "licencia comercial" typed as a phrase
# ranks the procedure that says exactly that above one that mentions each word somewhere.
PAIR_FIELDS = frozenset({"name", "name_en", "keywords", "summary", "summary_en"})

Term = tuple[str, str]  # (language, stem) or (language, "stem stem") for a pair of adjacent words


def es_stems(phrase: Iterable[str]) -> tuple[str, ...]:
    return tuple(stem(w, "es") for w in phrase)


def pair_term(first: str, second: str, language: str) -> Term:
    return (language, f"{stem(first, language)} {stem(second, language)}")


@dataclass(frozen=True)
class Synonyms:
    """Equivalent phrases (already folded into words), looked up by the Spanish stems of their words."""

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()
    by_stems: dict[tuple[str, ...], tuple[int, ...]] = field(default_factory=dict)
    longest: int = 0

    @classmethod
    def from_groups(cls, raw_groups: Iterable[Iterable[str]]) -> "Synonyms":
        groups: list[tuple[tuple[str, ...], ...]] = []
        by_stems: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for raw in raw_groups:
            phrases = tuple(dict.fromkeys(tuple(words(p)) for p in raw if words(p)))
            if len(phrases) < 2:
                continue
            for phrase in phrases:
                by_stems[es_stems(phrase)].append(len(groups))
            groups.append(phrases)
        longest = max((len(k) for k in by_stems), default=0)
        return cls(tuple(groups), {k: tuple(v) for k, v in by_stems.items()}, longest)

    @classmethod
    def load(cls, path: Path) -> "Synonyms":
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls.from_groups(data.get("groups", []))

    def words(self) -> set[str]:
        return {w for group in self.groups for phrase in group for w in phrase}


@dataclass
class SearchIndex:
    procedure_ids: np.ndarray  # document number -> procedure id
    name_order: np.ndarray  # document number -> position in alphabetical order (ties in score)
    # term -> (document numbers, their BM25F scores)
    scores: dict[Term, tuple[np.ndarray, np.ndarray]]
    # folded word -> number of procedures that contain it: the vocabulary typos are corrected to
    vocabulary: dict[str, int]
    sorted_vocabulary: list[str]
    by_trigram: dict[str, list[str]]
    synonyms: Synonyms
    synonym_words: frozenset[str] = frozenset()

    @property
    def size(self) -> int:
        return len(self.procedure_ids)

    def knows(self, word: str) -> bool:
        return (
            ("es", stem(word, "es")) in self.scores
            or ("en", stem(word, "en")) in self.scores
            or word in self.synonym_words
        )

    def term_vector(self, term: Term) -> np.ndarray | None:
        postings = self.scores.get(term)
        if postings is None:
            return None
        vector = np.zeros(self.size, dtype=np.float32)
        vector[postings[0]] = postings[1]
        return vector


def _flatten(value: Any) -> Iterable[str]:
    """Strings inside the JSON lists of requirements, documents, steps and offices."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _flatten(item)


def field_segments(procedure: Procedure) -> dict[str, list[str]]:
    """Each field's text in segments: word pairs are indexed within a segment, never across two keywords."""
    entity = procedure.entity
    body = [procedure.who_may_apply, procedure.cost_notes, procedure.duration, procedure.legal_basis]
    body += list(_flatten([procedure.requirements, procedure.documents, procedure.steps, procedure.offices]))
    return {
        "name": [procedure.name],
        "name_en": [procedure.name_en],
        "keywords": list(_flatten(procedure.keywords)),
        "summary": [procedure.summary],
        "summary_en": [procedure.summary_en],
        "entity": [entity.name, entity.acronym],
        "body": body,
    }


def build_index(procedures: Iterable[Procedure], synonyms: Synonyms) -> SearchIndex:
    procedure_ids: list[int] = []
    names: list[str] = []
    documents: list[dict[str, list[list[str]]]] = []
    for procedure in procedures:
        procedure_ids.append(procedure.pk)
        names.append(fold(procedure.name))
        documents.append({name: [words(t) for t in texts if t] for name, texts in field_segments(procedure).items()})

    count = len(documents)
    lengths = [{name: sum(map(len, doc[name])) for name, *_ in FIELDS} for doc in documents]
    average = {name: (sum(doc[name] for doc in lengths) / count if count else 0.0) or 1.0 for name, *_ in FIELDS}
    weighted_tf: dict[Term, dict[int, float]] = defaultdict(dict)
    vocabulary: dict[str, int] = defaultdict(int)
    for number, doc in enumerate(documents):
        seen: set[str] = set()
        for name, language, weight, b in FIELDS:
            if not lengths[number][name]:
                continue
            normaliser = weight / (1 - b + b * lengths[number][name] / average[name])
            for segment in doc[name]:
                terms = [(language, stem(word, language)) for word in segment]
                if name in PAIR_FIELDS:
                    terms += [pair_term(first, second, language) for first, second in zip(segment, segment[1:])]
                for term in terms:
                    postings = weighted_tf[term]
                    postings[number] = postings.get(number, 0.0) + normaliser
                seen.update(segment)
        for word in seen:
            vocabulary[word] += 1

    scores: dict[Term, tuple[np.ndarray, np.ndarray]] = {}
    for term, postings in weighted_tf.items():
        idf = math.log(1 + (count - len(postings) + 0.5) / (len(postings) + 0.5))
        numbers = np.fromiter(postings.keys(), dtype=np.int32, count=len(postings))
        tf = np.fromiter(postings.values(), dtype=np.float64, count=len(postings))
        scores[term] = (numbers, (idf * tf * (K1 + 1) / (K1 + tf)).astype(np.float32))

    synonym_words = synonyms.words()
    for word in synonym_words:
        vocabulary.setdefault(word, 0)
    by_trigram: dict[str, list[str]] = defaultdict(list)
    for word in vocabulary:
        if len(word) >= 3:
            for gram in trigrams(word):
                by_trigram[gram].append(word)
    name_order = np.empty(count, dtype=np.int32)
    name_order[sorted(range(count), key=names.__getitem__)] = np.arange(count, dtype=np.int32)
    return SearchIndex(
        procedure_ids=np.array(procedure_ids, dtype=np.int64),
        name_order=name_order,
        scores=scores,
        vocabulary=dict(vocabulary),
        sorted_vocabulary=sorted(vocabulary),
        by_trigram=dict(by_trigram),
        synonyms=synonyms,
        synonym_words=frozenset(synonym_words),
    )
