"""What other plugins see of a session, and the roster name that holds its seats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class Occupancy:
    """How full a session is; needs `topic_id`, `joined` and `cap`."""

    topic_id: int
    joined: int
    cap: int

    @property
    def full(self) -> bool:
        return self.joined >= self.cap

    @property
    def emptiness(self) -> tuple[float, int, int]:
        """Sort key: the emptiest first (share of seats taken, then most seats free, then id)."""
        return (self.joined / self.cap, self.joined - self.cap, self.topic_id)


@dataclass(frozen=True)
class SessionInfo(Occupancy):
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

    @property  # type: ignore[override]
    def joined(self) -> int:
        return len(self.participants)


@dataclass(frozen=True)
class Load(Occupancy):
    """How full a session is, without its people (cheap to read for a whole slot)."""

    topic_id: int
    joined: int
    cap: int
    ended: bool


def roster_name(topic_id: int) -> str:
    return f"session:{topic_id}"


def topic_of_roster(roster: str) -> int | None:
    prefix, _, number = roster.partition(":")
    return int(number) if prefix == "session" and number.isdigit() else None
