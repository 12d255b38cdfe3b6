"""Run the real router, plugins and SQLite against a FakeTransport: fast tests with no homeserver."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..app import Bot, discover_plugins
from ..clock import FakeClock
from ..config import Config, CoreConfig, MatrixConfig, RolesConfig, RoomsConfig
from ..events import Edit, Message, Reaction, Redaction
from ..plugin import Plugin
from .fake import FakeTransport, Sent

LOBBY = "!lobby:test"
ORGANIZER = "@org:test"
MODERATOR = "@mod:test"
SAFETY = "@safe:test"


def make_config(data_dir: Path | str = ":memory:", **sections: Any) -> Config:
    """A valid config for tests: organizers/moderators/safety set; plugin sections by keyword."""
    core = CoreConfig(
        matrix=MatrixConfig(homeserver="http://127.0.0.1:1", user_id="@flipchart:test", password="x"),
        roles=RolesConfig(organizers=(ORGANIZER,), moderators=(MODERATOR,), safety=(SAFETY,)),
        rooms=RoomsConfig(lobby=LOBBY),
    )
    for name in list(sections):
        if hasattr(core, name):
            core = replace(core, **{name: sections.pop(name)})
    return Config(path=Path("test.toml"), core=core, plugin_sections=sections, data_dir=Path(data_dir) if data_dir != ":memory:" else data_dir)  # type: ignore[arg-type]


class Harness:
    """`h = await Harness.create()`; `replies = await h.say("@alice:test", "!ping")`."""

    def __init__(self, bot: Bot, transport: FakeTransport, clock: FakeClock) -> None:
        self.bot = bot
        self.transport = transport
        self.clock = clock
        self._ids = itertools.count(1)
        self._prefix = secrets.token_hex(3)  # a second harness on the same database must not reuse ids

    @classmethod
    async def create(
        cls,
        config: Config | None = None,
        *,
        plugins: dict[str, type[Plugin]] | None = None,
        clock: FakeClock | None = None,
        start: bool = True,
    ) -> Harness:
        transport = FakeTransport()
        clock = clock or FakeClock()
        config = config or make_config()
        bot = Bot(config, transport, clock=clock, plugin_classes=plugins if plugins is not None else discover_plugins())
        await bot.open()
        await bot.join_configured_rooms()
        for room_id in bot.core.rooms.values():
            transport.room(room_id, ORGANIZER, MODERATOR, SAFETY, "@alice:test", "@bob:test")
        if start:
            await bot.start_plugins()
        return cls(bot, transport, clock)

    async def close(self) -> None:
        await self.bot.close()

    def _event_id(self) -> str:
        return f"$in{next(self._ids)}-{self._prefix}"

    async def _run(self, event: Any) -> list[Sent]:
        before = len(self.transport.sent)
        await self.bot.process(event)
        await self.bot.outbox.drain(flush=False)  # as in production: marked by the next event
        return self.transport.sent[before:]

    async def say(
        self,
        sender: str,
        body: str,
        *,
        room: str = LOBBY,
        thread_root: str | None = None,
        reply_to: str | None = None,
        mentions: tuple[str, ...] = (),
        event_id: str | None = None,
        quoted: str | None = None,
    ) -> list[Sent]:
        """Send a text message as `sender`; returns everything the bot sent in answer."""
        self.transport.room(room, sender)
        event = Message(
            event_id=event_id or self._event_id(),
            room_id=room,
            sender=sender,
            timestamp_ms=int(self.clock.now().timestamp() * 1000),
            body=body,
            thread_root=thread_root,
            reply_to=reply_to,
            mentions=mentions,
            quoted=quoted,
        )
        return await self._run(event)

    async def reply_text(self, sender: str, body: str, **kw: Any) -> str:
        """The plain body of the bot's (first) answer."""
        sent = await self.say(sender, body, **kw)
        texts = [s.content.get("body", "") for s in sent if s.type == "m.room.message"]
        return "\n".join(texts)

    async def react(self, sender: str, target: str, key: str, *, room: str = LOBBY) -> tuple[str, list[Sent]]:
        event_id = self._event_id()
        ev = Reaction(event_id=event_id, room_id=room, sender=sender, timestamp_ms=int(self.clock.now().timestamp() * 1000), target=target, key=key)
        return event_id, await self._run(ev)

    async def redact(self, sender: str, target: str, *, room: str = LOBBY) -> list[Sent]:
        ev = Redaction(event_id=self._event_id(), room_id=room, sender=sender, timestamp_ms=int(self.clock.now().timestamp() * 1000), target=target)
        return await self._run(ev)

    async def edit(self, sender: str, target: str, new_body: str, *, room: str = LOBBY) -> list[Sent]:
        ev = Edit(event_id=self._event_id(), room_id=room, sender=sender, timestamp_ms=int(self.clock.now().timestamp() * 1000), target=target, new_body=new_body)
        return await self._run(ev)

    async def drain(self) -> list[Sent]:
        before = len(self.transport.sent)
        await self.bot.outbox.drain(flush=False)  # as in production: marked by the next event
        return self.transport.sent[before:]
