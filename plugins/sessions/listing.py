"""Sessions as text: time ranges in a zone, room names and topics, and the lines of the listings."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.i18n import T
from bot.people import Person
from bot.roster import Place

from .model import Load, Session

ROOM_NAME_MAX = 200  # Matrix allows 255 bytes; keep room lists readable


@lru_cache(maxsize=1024)  # a pure function of its arguments, asked at every `!who` and `!join`: a few slots
def when(starts_at: datetime, ends_at: datetime, tz: ZoneInfo) -> str:
    """`2026-11-28 10:00–10:45` in the zone (the end's date only when it differs)."""
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    tail = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M")
    return f"{start:%Y-%m-%d %H:%M}–{tail}"


def zone_name(tz: ZoneInfo) -> str:
    return tz.key


def room_name(info: Session) -> str:
    name = f"#{info.topic_id} {info.title}"
    return name if len(name) <= ROOM_NAME_MAX else name[: ROOM_NAME_MAX - 1] + "…"


def room_topic(info: Session, tz: ZoneInfo) -> str:
    """Shown under the room name: time (with its zone) and place. Plain text, not Markdown."""
    return f"{when(info.starts_at, info.ends_at, tz)} ({zone_name(tz)}) · {info.location}"


def standing(info: Session, place: Place) -> T:
    """Where a person already stands in a session they try to join again."""
    if place.state == "seated":
        return T(
            "sessions.already_seated",
            id=info.topic_id,
            title=info.title,
            joined=place.seated,
            cap=info.cap,
        )
    return T(
        "sessions.already_waiting", id=info.topic_id, title=info.title, position=place.position
    )


def person(person: Person) -> T:
    """A participant as listed: approach marker, photo flag, badge name, pronouns, Matrix ID."""
    flags = person.marker + (" 🚫📷" if person.photo is False else "")
    if person.pronouns:
        return T(
            "sessions.person_pronouns",
            name=person.name,
            pronouns=person.pronouns,
            user_id=person.user_id,
            flags=flags,
        )
    return T("sessions.person", name=person.name, user_id=person.user_id, flags=flags)


def session_line(session: Session, load: Load) -> T:
    """One session in `!sessions`: joined/cap, full ones marked with their waitlist."""
    key = "sessions.line_full" if load.full else "sessions.line"
    return T(
        key,
        id=session.topic_id,
        title=session.title,
        joined=load.joined,
        cap=load.cap,
        location=session.location,
        waiting=load.waiting,
    )
