"""Sorting names the way a Spanish reader expects, in every language of the site.

`collation_key("Ávila")` folds case and accents (Á = a, É = e, ü = u), so "Ministerio de Economía" and
"ministerio de educación" sort together and "Órgano Judicial" sits among the O's instead of after the Z.
The ñ stays its own letter after n, as the Spanish alphabet has it ("Nuñez" after "Nunez"). Without
ICU on every machine (SQLite has no Spanish collation), the key is computed in Python: these lists are
short (institutions, themes, categories).
"""

from __future__ import annotations

import unicodedata

# Placed after every letter, so "ñ" (n + this) sorts after every "n…" word part and before "o".
_AFTER_N = "\U0010ffff"


def collation_key(text: str) -> str:
    folded = (text or "").casefold().replace("ñ", "n" + _AFTER_N)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def sorted_by_name(items, name=lambda item: item.name) -> list:
    return sorted(items, key=lambda item: collation_key(name(item)))
