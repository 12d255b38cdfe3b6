"""Read `!meetup <title> [at HH:MM] [cap <n>]`: the time and the cap are taken from the end of the title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.arguments import parse_hhmm
from bot.errors import UsageError
from bot.i18n import T

# Only a time-shaped "at" is taken ("Dinner at Joe's" keeps its "at"); a wrong time ("at 25:00") is refused.
_AT = re.compile(r"(?:^|\s+)at\s+(\d{1,2}:\d{2})\s*$", re.IGNORECASE)
# Any length of digits: a cap too large is refused, not left in the title ("Dinner cap 99999999999").
_CAP = re.compile(r"(?:^|\s+)cap\s+(\d+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class MeetupRequest:
    title: str
    at: time | None
    cap: int | None


def parse_request(text: str, max_cap: int) -> MeetupRequest:
    """Take "at HH:MM" and "cap N" (each at most once, in either order) off the end of the text."""
    title = text.strip()
    at: time | None = None
    cap: int | None = None
    while True:
        if at is None and (m := _AT.search(title)):
            at = parse_hhmm(m.group(1))
        elif cap is None and (m := _CAP.search(title)):
            digits = m.group(1)
            if len(digits) > 9 or not 1 <= int(digits) <= max_cap:
                raise UsageError(T("meetups.bad_cap", value=digits[:12], maximum=max_cap))
            cap = int(digits)
        else:
            break
        title = title[: m.start()].strip()
    return MeetupRequest(title=title, at=at, cap=cap)


def next_occurrence(at: time, tz: ZoneInfo, now: datetime) -> datetime:
    """The next time the clock shows `at` in `tz` (later today, else tomorrow), as aware UTC."""
    local_now = now.astimezone(tz)
    when = datetime.combine(local_now.date(), at, tzinfo=tz)
    if when <= local_now:
        when = datetime.combine(local_now.date() + timedelta(days=1), at, tzinfo=tz)
    return when.astimezone(UTC)
