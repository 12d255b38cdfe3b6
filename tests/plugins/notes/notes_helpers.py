"""Helpers for the notes tests: badges, notes and a small stand-in for sessions (its contract only)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from bot.config import RolesConfig, RoomsConfig
from bot.plugin import Plugin, subscribe
from bot.testing.harness import LOBBY, MODERATOR, ORGANIZER, SAFETY, Harness, make_config
from plugins.badges import Badges
from plugins.notes import Notes
from plugins.sessions.model import SessionInfo

ANNOUNCEMENTS = "!announce:test"
MODERATION = "!moderation:test"
MODERATOR2 = "@mod2:test"
START = datetime.fromisoformat("2026-11-28T09:00:00+00:00")


class StandInSessions(Plugin):
    """What CONTRACT.md promises of sessions: info(), session() (info without the people) and
    session_for_room(), and the bus events."""

    name = "sessions"

    def __init__(self, core: Any, config: Any, log: Any) -> None:
        super().__init__(core, config, log)
        self.infos: dict[int, SessionInfo] = {}

    async def info(self, tx: Any, topic_id: int) -> SessionInfo | None:
        return self.infos.get(topic_id)

    async def session(self, tx: Any, topic_id: int) -> SessionInfo | None:
        return self.infos.get(topic_id)

    async def session_for_room(self, tx: Any, room_id: str) -> int | None:
        return next((i.topic_id for i in self.infos.values() if i.room_id == room_id), None)

    @subscribe("people.forget")
    async def forget(self, tx: Any, user_id: str) -> None:
        """Like sessions: a forgotten person leaves every roster (before notes hears of it)."""
        for topic_id, info in self.infos.items():
            if user_id in info.participants:
                left = tuple(p for p in info.participants if p != user_id)
                self.infos[topic_id] = replace(info, participants=left)


@dataclass
class Event:
    h: Harness

    @property
    def sessions(self) -> StandInSessions:
        return self.h.bot.core.plugins["sessions"]  # type: ignore[return-value]

    @property
    def notes(self) -> Notes:
        return self.h.bot.core.plugins["notes"]  # type: ignore[return-value]

    def session(
        self,
        topic_id: int,
        participants: tuple[str, ...],
        *,
        title: str = "Open data",
        proposer: str = ORGANIZER,
    ) -> str:
        room = f"!session{topic_id}:test"
        self.h.transport.room(room, *participants)
        self.sessions.infos[topic_id] = SessionInfo(
            topic_id=topic_id,
            title=title,
            proposer=proposer,
            room_id=room,
            starts_at=START,
            ends_at=START + timedelta(hours=1),
            location="Room A",
            cap=8,
            participants=participants,
            waitlist=(),
            state="scheduled",
        )
        return room

    async def emit(self, name: str, topic_id: int) -> list:
        state = {"sessions.started": "started", "sessions.ended": "ended"}.get(name)
        if state:
            self.sessions.infos[topic_id] = replace(self.sessions.infos[topic_id], state=state)
        async with self.h.bot.db.transaction() as tx:
            await self.h.bot.core.bus.emit(tx, name, topic_id=topic_id)
        return await self.h.drain()

    async def start(self, topic_id: int) -> list:
        return await self.emit("sessions.started", topic_id)

    async def end(self, topic_id: int) -> list:
        return await self.emit("sessions.ended", topic_id)

    def draft(self) -> Any:
        """The last draft posted in the moderation room."""
        return [
            s for s in self.h.transport.messages(MODERATION) if "Draft digest" in s.content["body"]
        ][-1]


async def notes_harness(data_dir: Any = ":memory:", **sections: Any) -> Harness:
    config = make_config(
        data_dir,
        rooms=RoomsConfig(lobby=LOBBY, announcements=ANNOUNCEMENTS, moderation=MODERATION),
        roles=RolesConfig(
            organizers=(ORGANIZER,), moderators=(MODERATOR, MODERATOR2), safety=(SAFETY,)
        ),
        **sections,
    )
    return await Harness.create(
        config, plugins={"sessions": StandInSessions, "badges": Badges, "notes": Notes}
    )
