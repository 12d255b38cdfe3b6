"""The agenda as an iCalendar file; stable UIDs and a SEQUENCE so calendar apps update, not duplicate."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Entry:
    topic_id: int
    title: str
    description: str
    starts_at: datetime  # aware
    ends_at: datetime
    location: str
    revision: int


def slug(name: str) -> str:
    """`Open Space Taipei 2026` → `open-space-taipei-2026` (the UID's domain part)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "flipchart"


def uid(topic_id: int, event_slug: str) -> str:
    return f"topic-{topic_id}@{event_slug}"


def calendar(event_name: str, entries: list[Entry], now: datetime) -> bytes:
    # Imported here: ~3 MB of RSS that a bot which never exports a calendar need not carry.
    from icalendar import Calendar, Event

    event_slug = slug(event_name)
    cal = Calendar()
    cal.add("prodid", "-//Flipchart//Agenda//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", event_name)
    for entry in entries:
        ev = Event()
        ev.add("uid", uid(entry.topic_id, event_slug))
        ev.add("sequence", entry.revision)
        ev.add("dtstamp", now)
        ev.add("dtstart", entry.starts_at)
        ev.add("dtend", entry.ends_at)
        ev.add("summary", f"#{entry.topic_id} {entry.title}")
        ev.add("location", entry.location)
        if entry.description:
            ev.add("description", entry.description)
        cal.add_component(ev)
    return cal.to_ical()
