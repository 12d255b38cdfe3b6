"""What the notes keep in memory between commands: never stale after a change or a rollback."""

from __future__ import annotations

import pytest
from notes_helpers import MODERATION, Event

from bot.errors import UserError
from bot.testing.harness import MODERATOR

ALICE, BOB = "@alice:test", "@bob:test"


async def digest_reads(ev: Event, room: str, text: str) -> int:
    """How many statements of a `!note` read notes_digests."""
    seen: list[str] = []
    ev.h.bot.db.trace(seen.append)
    try:
        await ev.h.say(ALICE, f"!note {text}", room=room)
    finally:
        ev.h.bot.db.trace(None)
    return sum("notes_digests" in sql for sql in seen)


async def running_session(ev: Event) -> str:
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    return room


async def test_a_running_sessions_digest_is_not_read_at_every_note(ev: Event) -> None:
    room = await running_session(ev)
    assert await digest_reads(ev, room, "first") == 1
    assert await digest_reads(ev, room, "second") == 0


async def test_notes_follow_the_digest_at_once(ev: Event) -> None:
    room = await running_session(ev)
    await ev.h.say(ALICE, "!consent attributed")
    await ev.h.say(ALICE, "!note before the end", room=room)
    await ev.end(3)  # the digest is a draft now: a late note goes into it
    await ev.h.say(ALICE, "!note a late thought", room=room)
    edit = ev.h.transport.messages(MODERATION)[-1]
    assert "a late thought" in edit.content["m.new_content"]["body"]
    await ev.h.say(MODERATOR, "!digest reject 3 off topic")
    assert "already decided" in await ev.h.reply_text(ALICE, "!note too late", room=room)


async def test_a_rolled_back_decision_is_not_remembered(ev: Event) -> None:
    room = await running_session(ev)
    await ev.end(3)
    notes = ev.notes
    with pytest.raises(RuntimeError):
        async with ev.h.bot.db.transaction() as tx:
            await notes.store.update_digest(tx, 3, state="rejected")
            # Inside, the transaction sees its own write, but must not keep it.
            with pytest.raises(UserError):
                await notes._open_session(tx, 3)
            raise RuntimeError("roll back")
    assert "Noted" in await ev.h.reply_text(ALICE, "!note still open", room=room)
