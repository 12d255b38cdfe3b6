"""Reading the grid from what people type: local times that exist, slot references, `<name> cap <n>`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.arguments import ArgScanner, Text, Word
from bot.errors import UsageError, UserError
from bot.i18n import Raw, T

from .store import Slot

MAX_NAME_LENGTH = 60
MAX_CAP = 100_000
FIRST_YEAR, LAST_YEAR = 2000, 2200  # a typo, not an event: and every zone can show the times
# An end before the start means the next day (22:30-00:30). Longer than this, it is more likely two
# times typed the wrong way round (11:00-10:00 would be a 23-hour slot) than a night session.
MAX_OVERNIGHT_HOURS = 12
MAX_OVERNIGHT = timedelta(hours=MAX_OVERNIGHT_HOURS)
_CODE = re.compile(r"[sS]?(\d{1,9})")


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time in `tz`; refuses a time skipped by a daylight-saving change."""
    wall = datetime.combine(day, at)
    aware = wall.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != wall:
        raise UserError(
            T("agenda.no_such_time", day=day.isoformat(), time=at.strftime("%H:%M"), zone=tz.key)
        )
    return aware.astimezone(UTC)


def wall_length(start: time, end: time) -> timedelta:
    """How long `start-end` lasts on the wall clock; an end before the start is on the next day."""
    minutes = (end.hour - start.hour) * 60 + end.minute - start.minute
    return timedelta(minutes=minutes % (24 * 60))


def slot_span(day: date, start: time, end: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """A slot's start and end in UTC, from its date and a local time range; an end before the start
    is on the next day (at most MAX_OVERNIGHT later)."""
    times = Raw(f"{start:%H:%M}-{end:%H:%M}")
    if end == start:
        raise UserError(T("agenda.no_length", value=times))
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise UserError(
            T("agenda.year_out_of_range", day=day.isoformat(), first=FIRST_YEAR, last=LAST_YEAR)
        )
    overnight = end < start
    if overnight and wall_length(start, end) > MAX_OVERNIGHT:
        swapped = Raw(f"{end:%H:%M}-{start:%H:%M}")
        raise UserError(
            T(
                "agenda.overnight_too_long",
                value=times,
                maximum=MAX_OVERNIGHT_HOURS,
                swapped=swapped,
            )
        )
    end_day = day + timedelta(days=1) if overnight else day
    return local_to_utc(day, start, tz), local_to_utc(end_day, end, tz)


def slot_code_number(ref: str) -> int | None:
    """`S3`, `s3` and `3` all mean slot 3."""
    m = _CODE.fullmatch(ref.strip())
    return int(m.group(1)) if m else None


def check_label(label: str) -> str:
    label = " ".join(label.split())
    if slot_code_number(label) is not None:
        raise UserError(T("agenda.label_like_code", label=label))
    return label


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if len(name) > MAX_NAME_LENGTH:
        raise UserError(T("agenda.name_too_long", length=len(name), maximum=MAX_NAME_LENGTH))
    return name


@dataclass(frozen=True)
class NameAndCap(Text):
    """`<name> [cap <n>]`: a location's name (may contain spaces) and an optional capacity at the end."""

    def usage(self) -> str:
        return f"<{self.name}> [cap <n>]"

    def parse(self, scanner: ArgScanner) -> tuple[str, int | None] | None:
        value = super().parse(scanner)
        if value is None:
            return None
        return split_name_cap(value)


@dataclass(frozen=True)
class SlotAndPlace(Text):
    """`<slot> [<location>]`, read as one text: labels and location names may contain spaces."""

    def usage(self) -> str:
        return f"<{self.name}> [<location>]"


@dataclass(frozen=True)
class AgendaDay(Word):
    """`today`, `all` or a date (checked by the handler, which knows the days that have slots)."""

    required: bool = False

    def usage(self) -> str:
        return "[today|<YYYY-MM-DD>|all]"


def split_name_cap(value: str) -> tuple[str, int | None]:
    if re.fullmatch(r"cap\s+\d+", value.strip(), re.IGNORECASE):  # `!location add cap 5`: no name
        raise UsageError(T("core.missing_argument", name="name"))
    m = re.fullmatch(r"(.+?)\s+cap\s+(\S+)", value.strip(), re.IGNORECASE)
    if not m:
        return check_name(value), None
    token = m.group(2)
    if not re.fullmatch(r"\d{1,9}", token) or not 1 <= int(token) <= MAX_CAP:
        raise UsageError(
            T("core.bad_number", name="cap", value=token[:80], minimum=1, maximum=MAX_CAP)
        )
    return check_name(m.group(1)), int(token)


# --- showing times ---


@lru_cache(maxsize=512)  # every grid row and session line shows it, and slots are few
def clock_range(slot: Slot, tz: ZoneInfo) -> str:
    """`10:00–10:45`, or `22:30–00:30 (+1)` when the end falls on a later day in `tz` (which may
    happen in the reader's zone even if not in the event's)."""
    start, end = slot.starts_at.astimezone(tz), slot.ends_at.astimezone(tz)
    later = (end.date() - start.date()).days
    text = f"{start:%H:%M}–{end:%H:%M}"
    return f"{text} (+{later})" if later else text


def slot_text(slot: Slot, tz: ZoneInfo) -> str:
    """`S1 2026-11-28 10:00–10:45 Asia/Taipei · Morning` (in the reader's zone; the date is the start's)."""
    text = f"{slot.code} {slot.starts_at.astimezone(tz):%Y-%m-%d} {clock_range(slot, tz)} {tz.key}"
    return f"{text} · {slot.label}" if slot.label else text


def event_day(slot: Slot, tz: ZoneInfo) -> date:
    """The day a slot belongs to: its start's date in the event's zone (one past midnight stays on the
    day it starts: a night session belongs to that evening)."""
    return slot.starts_at.astimezone(tz).date()
