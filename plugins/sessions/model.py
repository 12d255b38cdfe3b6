"""What other plugins see of a session, and the roster name that holds its seats."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import NamedTuple


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
        return emptiness(self.joined, self.cap, self.topic_id)


def emptiness(joined: int, cap: int, topic_id: int) -> tuple[float, int, int]:
    """Sort key: the emptiest first (share of seats taken, then most seats free, then id)."""
    return (joined / cap, joined - cap, topic_id)


@dataclass(frozen=True)
class Session:
    """A scheduled session without its people: what most commands need, and cheap to read by the slot."""

    topic_id: int
    title: str
    proposer: str
    room_id: str | None
    starts_at: datetime
    ends_at: datetime
    location: str
    cap: int
    state: str  # 'scheduled' | 'started' | 'ended'
    slot_id: int = 0
    slot_code: str = ""

    def with_people(self, participants: tuple[str, ...], waitlist: tuple[str, ...]) -> SessionInfo:
        own = {name: getattr(self, name) for name in _SESSION_FIELDS}
        return SessionInfo(**own, participants=participants, waitlist=waitlist)


_SESSION_FIELDS = tuple(f.name for f in fields(Session))  # read once: `with_people` runs at every `!who`


@dataclass(frozen=True)
class SessionInfo(Session, Occupancy):
    """A session with its people: seated in joining order, and the waitlist in order (CONTRACT.md)."""

    participants: tuple[str, ...] = field(kw_only=True)
    waitlist: tuple[str, ...] = field(kw_only=True)

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
    waiting: int = 0


@dataclass(frozen=True)
class Clash:
    """A person found with places in two sessions of one slot after an organizer's action, and which
    place they kept."""

    user: str
    other: Session  # the session of the slot that was there before
    kept: Session
    kept_seat: bool  # a seat (else a waitlist place)
    freed: Session
    freed_seat: bool
    promoted_here: list[str]  # seated in the freed session in the person's stead


class Seating(NamedTuple):
    """What the seat counts of a booked session are weighed against: its roster, its cap, whether it
    ended (from its booking and this plugin's settings; no title, no times)."""

    topic_id: int
    roster: str
    cap: int
    ended: bool


def roster_name(topic_id: int) -> str:
    return f"session:{topic_id}"


def topic_of_roster(roster: str) -> int | None:
    prefix, _, number = roster.partition(":")
    return int(number) if prefix == "session" and number.isdigit() else None
