"""What other plugins see of a session, and the roster name that holds its seats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SessionInfo:
    topic_id: int
    title: str
    proposer: str
    room_id: str | None
    starts_at: datetime
    ends_at: datetime
    location: str
    cap: int
    participants: tuple[str, ...]
    waitlist: tuple[str, ...]
    state: str  # 'scheduled' | 'started' | 'ended'
    slot_id: int = 0
    slot_code: str = ""

    @property
    def joined(self) -> int:
        return len(self.participants)

    @property
    def full(self) -> bool:
        return self.joined >= self.cap

    @property
    def emptiness(self) -> tuple[float, int, int]:
        return emptiness(self.joined, self.cap, self.topic_id)


@dataclass(frozen=True)
class Load:
    """How full a session is, without its people (cheap to read for a whole slot)."""

    topic_id: int
    joined: int
    cap: int
    ended: bool

    @property
    def full(self) -> bool:
        return self.joined >= self.cap

    @property
    def emptiness(self) -> tuple[float, int, int]:
        return emptiness(self.joined, self.cap, self.topic_id)


def emptiness(joined: int, cap: int, topic_id: int) -> tuple[float, int, int]:
    """Sort key: the emptiest first (share of seats taken, then most seats free, then id)."""
    return (joined / cap, joined - cap, topic_id)


def roster_name(topic_id: int) -> str:
    return f"session:{topic_id}"


def topic_of_roster(roster: str) -> int | None:
    prefix, _, number = roster.partition(":")
    return int(number) if prefix == "session" and number.isdigit() else None
