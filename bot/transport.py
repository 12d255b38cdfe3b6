"""The seam between the bot and a homeserver: what the core asks of Matrix, and how it can fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class TransportError(Exception):
    """Base of everything a transport raises."""


class RateLimited(TransportError):
    def __init__(self, retry_after_ms: int) -> None:
        super().__init__(f"rate limited, retry after {retry_after_ms} ms")
        self.retry_after_ms = retry_after_ms


class Unreachable(TransportError):
    """The homeserver did not answer (network, 5xx): retry later, forever, with backoff."""


class RoomNotReady(TransportError):
    """The room is not known to the client yet (just created or joined): retry after a sync."""


class Refused(TransportError):
    """The homeserver said no for good (forbidden, not found, bad request)."""

    def __init__(self, message: str, errcode: str = "") -> None:
        super().__init__(message)
        self.errcode = errcode


@dataclass(frozen=True)
class RoomSpec:
    """What a new room should be; `encrypted` adds m.room.encryption at creation."""

    name: str = ""
    topic: str = ""
    invite: tuple[str, ...] = ()
    is_direct: bool = False
    is_space: bool = False
    private: bool = True
    encrypted: bool = False
    initial_state: tuple[dict[str, Any], ...] = field(default_factory=tuple)


class Transport(Protocol):
    """Implemented by client.NioTransport (a real homeserver) and testing.FakeTransport (memory)."""

    user_id: str

    async def send(self, room_id: str, event_type: str, content: dict[str, Any], tx_id: str) -> str: ...

    async def redact(self, room_id: str, event_id: str, reason: str | None, tx_id: str) -> str: ...

    async def upload(self, data: bytes, content_type: str, filename: str) -> str: ...

    async def invite(self, room_id: str, user_id: str) -> None: ...

    async def kick(self, room_id: str, user_id: str, reason: str | None = None) -> None: ...

    async def create_room(self, spec: RoomSpec) -> str: ...

    async def put_state(self, room_id: str, event_type: str, content: dict[str, Any], state_key: str = "") -> str: ...

    async def join(self, room: str) -> str: ...

    async def leave(self, room_id: str) -> None: ...

    def display_name(self, user_id: str) -> str | None: ...

    def power_level(self, room_id: str, user_id: str) -> int: ...

    def joined_count(self, room_id: str) -> int: ...

    def room_members(self, room_id: str) -> list[str]: ...
