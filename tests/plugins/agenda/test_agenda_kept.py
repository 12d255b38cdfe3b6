"""What the agenda keeps between commands (the store's reads, the messages last shown) follows every kind
of change: to the grid, a title, a seat count, the reader's day, zone and language."""

from __future__ import annotations

from dataclasses import replace

import pytest
from agenda_support import agenda_of, organize

ALICE = "@alice:test"


async def _grid(h):
    for title in ("One", "Two", "Three"):
        await h.say(ALICE, f"!propose {title}")
    await organize(
        h,
        "!slot add 2026-11-28 10:00-10:45",
        "!slot add 2026-11-28 11:00-11:45",
        "!location add A",
        "!location add B",
        "!schedule 1 S1 A",
        "!schedule 2 S1 B",
    )


async def _seen(h):
    """What each read of bookings says now, in one transaction (so each is kept if it can be)."""
    store = agenda_of(h).store
    async with h.bot.db.transaction() as tx:
        return {
            "all": [(b.topic_id, b.slot.code, b.location.name) for b in await store.bookings(tx)],
            "S1": [b.topic_id for b in await store.bookings(tx, slot_id=1)],
            "S2": [b.topic_id for b in await store.bookings(tx, slot_id=2)],
            "of": [(i, b.slot.code) for i in (1, 2, 3) if (b := await store.booking(tx, i)) is not None],
            "caps": await store.location_caps(tx),
            "booking 1": (await store.booking(tx, 1)),
        }


async def test_bookings_follow_booking_moving_and_unbooking(h):
    await _grid(h)
    before = await _seen(h)
    assert before["all"] == [(1, "S1", "A"), (2, "S1", "B")]
    assert before["of"] == [(1, "S1"), (2, "S1")]
    assert before["caps"] == {1: None, 2: None}
    assert await _seen(h) == before  # kept: the same answers

    await organize(h, "!schedule 3 S2 A")
    seen = await _seen(h)
    assert seen["S2"] == [3] and seen["of"] == [(1, "S1"), (2, "S1"), (3, "S2")]
    assert set(seen["caps"]) == {1, 2, 3}

    await organize(h, "!schedule 1 S2 B")  # moved
    seen = await _seen(h)
    assert seen["S1"] == [2] and seen["S2"] == [3, 1]
    assert seen["booking 1"].slot.code == "S2"
    assert (1, "S2") in seen["of"]

    await organize(h, "!unschedule 2")
    seen = await _seen(h)
    assert seen["S1"] == [] and [t for t, _ in seen["of"]] == [1, 3] and set(seen["caps"]) == {1, 3}

    await h.say(ALICE, "!withdraw 3")  # the agenda unbooks a withdrawn topic
    seen = await _seen(h)
    assert seen["all"] == [(1, "S2", "B")] and seen["of"] == [(1, "S2")]


async def test_bookings_follow_a_location_change_and_forget_a_rolled_back_write(h):
    await _grid(h)
    await _seen(h)
    store = agenda_of(h).store
    async with h.bot.db.transaction() as tx:
        await store.set_cap(tx, 1, 5)
    async with h.bot.db.transaction() as tx:
        assert (await store.booking(tx, 1)).location.cap == 5
        assert (await store.location_caps(tx))[1] == 5
        assert [b.location.cap for b in await store.bookings(tx, slot_id=1)] == [5, None]

    with pytest.raises(RuntimeError):
        async with h.bot.db.transaction() as tx:
            await store.book(tx, 3, 2, 2)
            assert (await store.booking(tx, 3)).topic_id == 3  # read inside
            assert 3 in await store.location_caps(tx)
            raise RuntimeError("rolled back")
    seen = await _seen(h)
    assert seen["S2"] == [] and [t for t, _ in seen["of"]] == [1, 2] and set(seen["caps"]) == {1, 2}


async def test_the_agenda_shown_again_follows_every_change(h):
    await _grid(h)
    seats = {1: (0, 8), 2: (0, 8), 3: (0, 8)}

    async def occupancy(tx, topic_ids):
        return {i: seats[i] for i in topic_ids}

    agenda_of(h).set_occupancy(occupancy)
    first = await h.reply_text(ALICE, "!agenda")
    assert "#1 One (0/8)" in first
    assert await h.reply_text(ALICE, "!agenda") == first

    seats[1] = (1, 8)  # a seat taken: only the sessions plugin knows
    assert "#1 One (1/8)" in await h.reply_text(ALICE, "!agenda")
    await h.say(ALICE, "!retitle 2 Two again")
    assert "#2 Two again (0/8)" in await h.reply_text(ALICE, "!agenda")
    await organize(h, "!schedule 3 S2 B")
    assert "S2 11:00–11:45 · B · #3 Three (0/8)" in await h.reply_text(ALICE, "!agenda")
    await organize(h, "!location add C")
    assert "<th>C</th>" in (await h.say(ALICE, "!agenda"))[0].content["formatted_body"]
    await organize(h, "!slot add 2026-11-29 10:00-10:45")
    assert "Agenda 2026-11-29" in await h.reply_text(ALICE, "!agenda all")
    assert "Agenda 2026-11-29" not in await h.reply_text(ALICE, "!agenda today")

    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_timezone(tx, ALICE, "Asia/Taipei")
    assert "S1 18:00–18:45" in await h.reply_text(ALICE, "!agenda")
    assert "S1 10:00–10:45" in await h.reply_text("@bob:test", "!agenda")
    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_language(tx, ALICE, "zh-TW")
    assert "議程 2026-11-28" in await h.reply_text(ALICE, "!agenda")


async def test_the_slots_kept_by_day_follow_the_event_zone(h):
    """A slot at 20:00 UTC on the 28th is on the 29th in Taipei: the days are kept per event zone."""
    await organize(h, "!slot add 2026-11-28 20:00-20:45")
    assert "Agenda 2026-11-28" in await h.reply_text(ALICE, "!agenda all")
    core = h.bot.core
    event = replace(core.config.core.event, timezone="Asia/Taipei")
    core.config = replace(core.config, core=replace(core.config.core, event=event))
    assert "Agenda 2026-11-29" in await h.reply_text(ALICE, "!agenda all")
