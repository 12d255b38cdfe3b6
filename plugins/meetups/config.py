"""The [meetups] section: abuse limits and when the sign-up sheet reminds its people."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MeetupsConfig:
    # Sheets one person may have open at once (not cancelled, time not yet past): keeps the list usable.
    max_open_per_person: int = 3
    # Longest title accepted (characters, after "at HH:MM" and "cap N" are taken off).
    title_max_length: int = 120
    # Largest "cap N" accepted; a sheet without a cap has no limit.
    max_cap: int = 500
    # The reminder to those signed up goes out this many minutes before the time (0: at the time).
    remind_minutes_before: int = 0
    # A reminder that could not be sent (the bot was down) is still sent up to this many minutes late.
    late_reminder_minutes: int = 30
