"""Property: whatever the title, a trailing "at HH:MM" and "cap N" (in either order) come off it intact."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UsageError
from plugins.meetups.request import parse_request

titles = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(
    lambda t: t.strip() and parse_request(t, max_cap=500).title == t.strip()
)


@given(
    title=titles,
    at=st.times().map(lambda t: time(t.hour, t.minute)),
    cap=st.integers(1, 500),
    cap_first=st.booleans(),
)
def test_time_and_cap_come_off_any_title(title: str, at: time, cap: int, cap_first: bool) -> None:
    tail = [f"at {at:%H:%M}", f"cap {cap}"]
    if cap_first:
        tail.reverse()
    request = parse_request(f"{title} {' '.join(tail)}", max_cap=500)
    assert (request.title, request.at, request.cap) == (title.strip(), at, cap)


@pytest.mark.parametrize("text", ["Dinner cap 99999999999", "Dinner cap 0", "Dinner at 19:00 cap 501"])
def test_a_cap_out_of_range_is_refused_however_many_digits(text: str) -> None:
    # It used to stay in the title when longer than nine digits: a sheet "Dinner cap 99999999999" without a cap.
    with pytest.raises(UsageError) as refused:
        parse_request(text, max_cap=500)
    assert refused.value.text.key == "meetups.bad_cap"
