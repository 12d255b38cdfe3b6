"""`names_in`'s substring shortcut answers exactly as the name's pattern (what a NameFilter replaces)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from plugins.notes.compose import _names_pattern, names_in

# ASCII letters with their case-insensitive look-alikes (Kelvin sign, long s, dotted and dotless i),
# word and non-word characters: where a shortcut over lowered strings could go wrong.
ALPHABET = "aAkKsSiIzZ -_.'@:1\u212a\u017f\u0130\u0131\u00df\u00e9\u00c9"


def by_pattern(text: str, name: str) -> bool:
    pattern = _names_pattern([name])
    return bool(pattern and pattern.search(text))


@given(st.text(ALPHABET, max_size=12), st.lists(st.text(ALPHABET, max_size=5), max_size=6))
def test_names_in_answers_as_the_pattern(text: str, names: list[str]) -> None:
    uses = names_in(text)
    assert [uses(n) for n in names] == [by_pattern(text, n) for n in names]


def test_look_alikes_still_match() -> None:
    assert names_in("\u212aim was here")("kim")  # the Kelvin sign folds to k
    assert names_in("kim was here")("\u212aim")
    assert names_in("Sam said")("\u017fam")  # the long s folds to s
    assert not names_in("Kimberly said")("kim")  # a whole word only
    assert names_in("ask KIM.")("Kim")
