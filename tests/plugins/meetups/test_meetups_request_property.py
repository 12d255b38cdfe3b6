"""Property: whatever the title, a trailing "at HH:MM" and "cap N" (in either order) come off it intact."""

from __future__ import annotations

from datetime import time

from hypothesis import given
from hypothesis import strategies as st

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
