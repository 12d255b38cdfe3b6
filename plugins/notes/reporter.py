"""The random reporter of a session: drawn among those who agreed to be quoted, then announced."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from bot.i18n import Raw, T
from bot.render import pill
from bot.storage import Tx


class ReporterDraw:
    def __init__(self, core: Any, badges: Any) -> None:
        self.core = core
        self.badges = badges
        self.random = random.SystemRandom()  # the draw must not be predictable

    async def draw(
        self, tx: Tx, session_id: int, participants: Sequence[str], exclude: str | None = None
    ) -> str | None:
        """At random among those quoted by name; else among those quoted as "a participant".
        `exclude` (a new draw) is left out unless nobody else agreed."""
        pools: dict[str, list[str]] = {"attributed": [], "anonymous": []}
        for person in participants:
            choice = await self.badges.consent_of(tx, person, session_id)
            if choice in pools:
                pools[choice].append(person)
        for pool in pools.values():
            others = [p for p in pool if p != exclude]
            if others:
                return self.random.choice(others)
        return exclude if exclude and any(exclude in pool for pool in pools.values()) else None

    async def announce(
        self, tx: Tx, session_id: int, title: str, room_id: str | None, reporter: str | None
    ) -> None:
        """In the session's room (with a mention) and the lobby; the lobby learns the name only of
        someone quoted by name."""
        notices = self.core.notices
        lobby = self.core.room("lobby")
        rooms = [r for r in dict.fromkeys((room_id, lobby)) if r]
        if reporter is None:
            for room in rooms:
                await notices.send(tx, room, T("notes.no_reporter", id=session_id, title=title))
            return
        person = await self.core.people.get(tx, reporter)
        named = T(
            "notes.reporter", id=session_id, title=title, name=Raw(pill(reporter, person.name))
        )
        decision = await self.badges.may_publish(tx, speaker=reporter, session_id=session_id)
        for room in rooms:
            if room == room_id or decision.name is not None:
                await notices.send(tx, room, named, mentions=[reporter])
            else:
                await notices.send(
                    tx, room, T("notes.reporter_anonymous", id=session_id, title=title)
                )
        if room_id is None and decision.name is None:
            await notices.direct(tx, reporter, named)  # no session room: tell them privately
