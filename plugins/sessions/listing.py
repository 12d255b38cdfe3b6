"""Plain facts about sessions as text: time ranges in a zone, room names and topics."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .model import SessionInfo

ROOM_NAME_MAX = 200  # Matrix allows 255 bytes; keep room lists readable


def when(starts_at: datetime, ends_at: datetime, tz: ZoneInfo) -> str:
    """`2026-11-28 10:00–10:45` in the zone (the end's date only when it differs)."""
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    tail = end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M")
    return f"{start:%Y-%m-%d %H:%M}–{tail}"


def zone_name(tz: ZoneInfo) -> str:
    return tz.key


def room_name(info: SessionInfo) -> str:
    name = f"#{info.topic_id} {info.title}"
    return name if len(name) <= ROOM_NAME_MAX else name[: ROOM_NAME_MAX - 1] + "…"


def room_topic(info: SessionInfo, tz: ZoneInfo) -> str:
    """Shown under the room name: time (with its zone) and place. Plain text, not Markdown."""
    return f"{when(info.starts_at, info.ends_at, tz)} ({zone_name(tz)}) · {info.location}"
