"""A large event: `!sessions` shows a readable part of it, and listings read it in a fixed number of queries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.testing.harness import ORGANIZER


@asynccontextmanager
async def statements(event) -> AsyncIterator[list[str]]:
    """Every SQL statement the bot runs inside the block (BEGIN and COMMIT included) — but the marks of
    replies delivered before it, which the outbox writes in batches along with some command or other."""
    await event.h.bot.outbox.flush()
    seen: list[str] = []
    db = event.h.bot.db
    db.trace(seen.append)
    try:
        yield seen
    finally:
        db.trace(None)


async def count(event, user: str, body: str) -> int:
    """Statements of one command, asked twice: the first time also fills the core's caches."""
    await event.h.say(user, body)
    async with statements(event) as seen:
        await event.h.say(user, body)
    return len(seen)


async def test_sessions_shows_the_running_and_the_next_slot_and_counts_the_later_ones(event):
    h = event.h
    hours = (10, 12, 14, 16)
    ids = [
        await event.session(f"At {hour}", starts=event.start.replace(hour=hour)) for hour in hours
    ]
    h.clock.set(event.start.replace(hour=10, minute=30))
    reply = await h.reply_text("@x:test", "!sessions")
    assert f"#{ids[0]} At 10" in reply and f"#{ids[1]} At 12" in reply
    assert f"#{ids[2]}" not in reply and f"#{ids[3]}" not in reply
    assert "Later slots not shown: 2" in reply and "!sessions S3" in reply
    # The later slots are one question away.
    assert f"#{ids[3]} At 16" in await h.reply_text("@x:test", "!sessions S4")


async def test_sessions_without_later_slots_has_no_hint(event):
    sid = await event.session("Only one")
    reply = await event.h.reply_text("@x:test", "!sessions")
    assert f"#{sid}" in reply and "Later slots" not in reply


async def test_sessions_next_skips_slots_without_sessions(event):
    h = event.h
    await h.say(ORGANIZER, "!slot add 2026-11-28 10:00-11:00")  # S1, nothing booked
    sid = await event.session("Noon", starts=event.start.replace(hour=12))
    assert f"#{sid} Noon" in await h.reply_text("@x:test", "!sessions next")
    assert f"#{sid} Noon" in await h.reply_text("@x:test", "!sessions")


async def test_sessions_hint_is_translated(event):
    await event.session("Early", starts=event.start.replace(hour=10))
    await event.session("Mid", starts=event.start.replace(hour=12))
    await event.session("Late", starts=event.start.replace(hour=14))
    async with event.h.bot.db.transaction() as tx:
        await event.h.bot.core.preferences.set_language(tx, "@zh:test", "zh-TW")
    reply = await event.h.reply_text("@zh:test", "!sessions")
    assert "之後還有 2 個時段未列出" in reply and "Later slots" not in reply


async def test_listings_read_a_slot_in_the_same_number_of_queries_however_many_sessions(event):
    """No query per session: a slot of 3 sessions and one of 23 cost the same."""
    noon = event.start.replace(hour=12)
    first = [await event.session(f"Small {i}", starts=noon) for i in range(3)]
    await event.h.say("@a:test", f"!join {first[0]}")
    queries = {
        "!sessions S1": await count(event, "@x:test", "!sessions S1"),
        "!sessions": await count(event, "@x:test", "!sessions"),
        "!agenda all": await count(event, "@x:test", "!agenda all"),
    }
    more = [await event.session(f"Big {i}", starts=noon) for i in range(20)]
    for sid in more[:5]:
        await event.h.say("@b:test", f"!join {sid}")  # each join moves @b within the slot
    for body, before in queries.items():
        assert await count(event, "@x:test", body) == before, body


async def first_join(event, user: str, sid: int) -> int:
    """Statements of a person's join that moves them out of another session of the slot."""
    await event.h.say(user, "!mine")  # fills the core's caches for this person
    await event.h.say(user, f"!who {sid}")  # and for the session's roster (kept per roster)
    async with statements(event) as seen:
        await event.h.say(user, f"!join {sid}")
    return len(seen)


async def test_join_and_who_cost_the_same_however_many_sessions_the_slot_has(event):
    noon = event.start.replace(hour=12)
    ids = [await event.session(f"S {i}", starts=noon, cap=2) for i in range(3)]
    await event.h.say("@a:test", f"!join {ids[0]}")
    await event.h.say("@c:test", f"!join {ids[2]}")
    join = await first_join(event, "@c:test", ids[1])
    who = await count(event, "@x:test", f"!who {ids[0]}")
    more = [await event.session(f"More {i}", starts=noon, cap=2) for i in range(20)]
    await event.h.say("@d:test", f"!join {more[7]}")
    assert await first_join(event, "@d:test", ids[2]) == join
    assert await count(event, "@x:test", f"!who {ids[0]}") == who
