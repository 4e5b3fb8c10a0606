"""Phone numbers and national ID numbers for generated reporters, written the way the jurisdiction writes them.

Patterns come from the jurisdiction's demo.json (`phone_patterns`, `national_id_patterns`): `#` is a random
digit, anything else is kept, e.g. "6###-####" or "8-###-####". COPY and bulk_create bypass
`CaseContact.save()`, so the normalised columns the agent console searches (`phone_normalized`,
`national_id_normalized`) are computed here. Calling `phonenumbers` for every contact would cost more than
planning the whole case, so a phone is normalised by pattern ("+" country code + its digits), after a check
at start-up that this gives what `normalize_phone` gives for that pattern; a pattern that fails the check
(a trunk prefix, say) falls back to `normalize_phone` for each number.
"""

from __future__ import annotations

import random
import re

import phonenumbers
from django.conf import settings

from cases.contact import normalize_national_id, normalize_phone

_DIGITS = re.compile(r"#+")


class _Pattern:
    """A pattern split into its constant parts and the widths of its digit runs."""

    def __init__(self, pattern: str) -> None:
        self.parts = _DIGITS.split(pattern)
        self.widths = [len(run) for run in _DIGITS.findall(pattern)]

    def fill(self, r) -> str:
        out = [self.parts[0]]
        for width, part in zip(self.widths, self.parts[1:]):
            out.append(f"{int(r() * 10**width):0{width}d}")
            out.append(part)
        return "".join(out)


class ContactNumbers:
    """Draws (phone, phone_normalized) and (national_id, national_id_normalized) pairs."""

    def __init__(self, data: dict) -> None:
        self.phones = [_Pattern(p) for p in data.get("phone_patterns", [])]
        self.ids = [_Pattern(p) for p in data.get("national_id_patterns", [])]
        prefix = f"+{phonenumbers.country_code_for_region(settings.PHONE_REGION)}"
        probe = random.Random(0).random  # noqa: S311 - deterministic demo data, not a secret
        self.by_pattern: list[bool] = []
        for pattern in self.phones:
            samples = [pattern.fill(probe) for _ in range(8)]
            self.by_pattern.append(all(normalize_phone(s) == prefix + _only_digits(s) for s in samples))
        self.prefix = prefix

    def phone(self, r) -> tuple[str, str]:
        if not self.phones:
            return "", ""
        i = int(r() * len(self.phones))
        text = self.phones[i].fill(r)
        return text, (self.prefix + _only_digits(text)) if self.by_pattern[i] else normalize_phone(text)

    def national_id(self, r) -> tuple[str, str]:
        if not self.ids:
            return "", ""
        text = self.ids[int(r() * len(self.ids))].fill(r)
        return text, normalize_national_id(text)


def _only_digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
