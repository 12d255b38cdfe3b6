"""A Transport that keeps everything in memory and records what the bot sends."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from ..transport import RoomSpec


@dataclass
class Sent:
    room_id: str
    type: str
    content: dict[str, Any]
    event_id: str
    tx_id: str | None = None


@dataclass
class FakeRoom:
    room_id: str
    members: set[str] = field(default_factory=set)
    name: str = ""
    topic: str = ""
    state: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    power: dict[str, int] = field(default_factory=dict)
    spec: RoomSpec | None = None


class FakeTransport:
    """Behaves like a homeserver where it matters to the bot: event ids, tx-id dedupe, rooms, failures."""

    def __init__(self, user_id: str = "@flipchart:test") -> None:
        self.user_id = user_id
        self.sent: list[Sent] = []
        self.rooms: dict[str, FakeRoom] = {}
        self.display_names: dict[str, str] = {}
        self.uploads: dict[str, bytes] = {}
        self.invites: list[tuple[str, str]] = []
        self.kicks: list[tuple[str, str]] = []
        self.redactions: list[tuple[str, str, str | None]] = []
        self._tx_ids: dict[str, str] = {}
        self._ids = itertools.count(1)
        self.failures: list[Exception] = []  # raised, in order, by the next calls that send

    def room(self, room_id: str, *members: str) -> FakeRoom:
        room = self.rooms.get(room_id)
        if room is None:  # not setdefault: that builds a FakeRoom at every call (the benchmark calls this per command)
            room = self.rooms[room_id] = FakeRoom(room_id)
        room.members.add(self.user_id)
        room.members.update(members)
        return room

    def _maybe_fail(self) -> None:
        if self.failures:
            raise self.failures.pop(0)

    def _new_event_id(self) -> str:
        return f"$ev{next(self._ids)}"

    async def send(self, room_id: str, event_type: str, content: dict[str, Any], tx_id: str) -> str:
        self._maybe_fail()
        if tx_id in self._tx_ids:  # like Synapse: the same tx id gives back the same event
            return self._tx_ids[tx_id]
        event_id = self._new_event_id()
        self._tx_ids[tx_id] = event_id
        self.sent.append(Sent(room_id, event_type, content, event_id, tx_id))
        return event_id

    async def redact(self, room_id: str, event_id: str, reason: str | None, tx_id: str) -> str:
        self._maybe_fail()
        self.redactions.append((room_id, event_id, reason))
        return self._new_event_id()

    async def upload(self, data: bytes, content_type: str, filename: str) -> str:
        self._maybe_fail()
        uri = f"mxc://test/{next(self._ids)}"
        self.uploads[uri] = data
        return uri

    async def invite(self, room_id: str, user_id: str) -> None:
        self._maybe_fail()
        self.invites.append((room_id, user_id))

    async def kick(self, room_id: str, user_id: str, reason: str | None = None) -> None:
        self._maybe_fail()
        self.kicks.append((room_id, user_id))
        self.room(room_id).members.discard(user_id)

    async def create_room(self, spec: RoomSpec) -> str:
        self._maybe_fail()
        room_id = f"!room{next(self._ids)}:test"
        room = self.room(room_id)
        room.name, room.topic, room.spec = spec.name, spec.topic, spec
        for user in spec.invite:
            self.invites.append((room_id, user))
            room.members.add(user)  # invited members count, as in nio's room.users
        return room_id

    async def put_state(self, room_id: str, event_type: str, content: dict[str, Any], state_key: str = "") -> str:
        self._maybe_fail()
        self.room(room_id).state[(event_type, state_key)] = content
        return self._new_event_id()

    async def join(self, room: str) -> str:
        self._maybe_fail()
        self.room(room)
        return room

    async def leave(self, room_id: str) -> None:
        self.rooms.pop(room_id, None)

    def display_name(self, user_id: str) -> str | None:
        return self.display_names.get(user_id)

    def power_level(self, room_id: str, user_id: str) -> int:
        room = self.rooms.get(room_id)
        return room.power.get(user_id, 0) if room else 0

    def joined_count(self, room_id: str) -> int:
        room = self.rooms.get(room_id)
        return len(room.members) if room else 0

    def room_members(self, room_id: str) -> list[str]:
        room = self.rooms.get(room_id)
        return sorted(room.members) if room else []

    # --- reading what was sent ---

    def messages(self, room_id: str | None = None) -> list[Sent]:
        return [s for s in self.sent if s.type == "m.room.message" and (room_id is None or s.room_id == room_id)]

    def bodies(self, room_id: str | None = None) -> list[str]:
        return [s.content.get("body", "") for s in self.messages(room_id)]
