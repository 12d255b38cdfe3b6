"""The [meetups] section: abuse limits and when the sign-up sheet reminds its people."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import ConfigError

MINIMUM = {
    "max_open_per_person": 0,
    "title_max_length": 1,
    "max_cap": 1,
    "remind_minutes_before": 0,
    "late_reminder_minutes": 0,
}


@dataclass(frozen=True)
class MeetupsConfig:
    # Sheets one person may have open at once (not cancelled, time not yet past; 0 = no limit).
    max_open_per_person: int = 3
    # Longest title accepted (characters, after "at HH:MM" and "cap N" are taken off).
    title_max_length: int = 120
    # Largest "cap N" accepted; a sheet without a cap has no limit.
    max_cap: int = 500
    # The reminder to those signed up goes out this many minutes before the time (0: at the time).
    remind_minutes_before: int = 0
    # A reminder that could not be sent (the bot was down) is still sent up to this many minutes late.
    late_reminder_minutes: int = 30

    def __post_init__(self) -> None:
        for key, minimum in MINIMUM.items():
            if getattr(self, key) < minimum:
                raise ConfigError(
                    f"`meetups.{key}` must be at least {minimum}; got {getattr(self, key)}."
                )
