"""Hypothesis strategies for hostile input, shared by the property tests of every intake path.

Each value is something a careless or malicious client sends: numbers with extreme exponents, digit
strings longer than int() accepts, non-ASCII digits, NaN and infinities, control characters, lone
surrogates' replacement, very long text, markup. The tests send them through the real stack and assert
what a caller notices: never a 5xx, the error in the caller's format, nothing stored.
"""

from __future__ import annotations

from hypothesis import strategies as st

EXTREME_NUMBERS = [
    "1e999999999", "-1e999999999", "1E+1000000000000000000", "0e999999999", "1e-999999999", "9" * 5000,
    "0." + "0" * 5000 + "1", "²", "١٢٣", "NaN", "-inf", "Infinity", "1_000", "0x1F", "1e15", "999999999999999.9",
    "-0", "+.5", "1e", ".", "",
]
TRICKY_TEXT = [
    "\x00", "\x00abc", "\u202e\u202d", "\ufffd", "<script>alert(1)</script>", "' OR 1=1 --", "%00", "a" * 5000,
    "💧" * 400, "\r\n" * 300, "\x0b\x0c\x1f\x7f", "{{ 7*7 }}", "${jndi:ldap://x}", "../../etc/passwd",
]


def hostile_number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(EXTREME_NUMBERS),
        st.builds(lambda m, e: f"{m}e{e}", st.integers(-9, 9), st.integers(-10**12, 10**12)),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
    )


def hostile_text(max_size: int = 300) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(TRICKY_TEXT),
        st.text(max_size=max_size),
        st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=20),
    )


def hostile_value() -> st.SearchStrategy[str]:
    return st.one_of(hostile_number(), hostile_text())
