"""The [agenda] section: the default capacity and the slots and locations seeded at start."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from bot.config import ConfigError

from .grid import MAX_OVERNIGHT, MAX_OVERNIGHT_HOURS, wall_length


@dataclass(frozen=True)
class SlotSeed:
    """One `slots = [{date = "2026-11-28", start = "10:00", end = "10:45", label = "Morning"}]` entry;
    an end before the start is on the next day (`start = "22:30", end = "00:30"`)."""

    date: str
    start: str
    end: str
    label: str = ""

    def __post_init__(self) -> None:
        try:
            parsed = (
                date.fromisoformat(self.date)
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.date)
                else None
            )
        except ValueError:
            parsed = None
        if parsed is None:
            raise ConfigError(
                f"[agenda] slot date {self.date!r} is not a date; write it as YYYY-MM-DD."
            )
        starts, ends = _clock(self.start), _clock(self.end)
        where = f"[agenda] slot {self.date} {self.start}-{self.end}"
        if ends == starts:
            raise ConfigError(f"{where}: the end must differ from the start.")
        # The same limit as `!slot add`, found by check-config instead of in the log at start.
        if ends < starts and wall_length(starts, ends) > MAX_OVERNIGHT:
            raise ConfigError(
                f"{where} would end on the next day, and a slot past midnight may last at most "
                f"{MAX_OVERNIGHT_HOURS} hours. Swap start and end if they are the wrong way round, "
                "or split a longer night into two slots."
            )

    @property
    def day(self) -> date:
        return date.fromisoformat(self.date)

    @property
    def times(self) -> tuple[time, time]:
        return _clock(self.start), _clock(self.end)


@dataclass(frozen=True)
class LocationSeed:
    """One `locations = [{name = "Room A", cap = 20}]` entry (cap optional)."""

    name: str
    cap: int | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ConfigError("[agenda] a location needs a name.")
        if self.cap is not None and self.cap < 1:
            raise ConfigError(f"[agenda] location {self.name!r}: cap must be at least 1.")


@dataclass(frozen=True)
class AgendaConfig:
    # Seats shown for a session whose location has no cap (until the sessions plugin says otherwise).
    default_cap: int = 8
    slots: tuple[SlotSeed, ...] = ()
    locations: tuple[LocationSeed, ...] = ()


def _clock(text: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ConfigError(f"[agenda] {text!r} is not a time; write it as HH:MM (24-hour).")
    return time(int(m.group(1)), int(m.group(2)))
