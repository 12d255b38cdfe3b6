"""The reminder: those signed up (not the waitlist) are mentioned where the sheet was opened, exactly once,
also across restarts (jobs rebuilt from the database)."""

from __future__ import annotations

from datetime import timedelta

from meetups_support import START, meetups_harness

from bot.testing.harness import LOBBY, Harness

ALICE, BOB, CAROL = "@alice:test", "@bob:test", "@carol:test"
ROOM = "!dinner-corner:test"


async def remind(h: Harness, meetup_id: int) -> list:
    await h.bot.core.plugins["meetups"].remind(meetup_id)
    return await h.drain()


async def test_reminder_mentions_those_signed_up_in_the_room_where_it_was_opened(
    h: Harness,
) -> None:
    h.transport.room(ROOM, ALICE, BOB, CAROL)
    h.transport.display_names[BOB] = "Bob Chen"
    await h.say(ALICE, "!meetup Dinner at 19:30 cap 2", room=ROOM)
    await h.say(BOB, "!meetup join 1")
    await h.say(CAROL, "!meetup join 1")  # waitlisted: not reminded
    h.clock.set(START.replace(hour=19, minute=30))
    sent = await remind(h, 1)
    assert len(sent) == 1
    assert sent[0].room_id == ROOM
    content = sent[0].content
    assert content["m.mentions"] == {"user_ids": sorted([ALICE, BOB])}
    assert "Meetup #1 “Dinner” — at 19:30" in content["body"] and "Bob Chen" in content["body"]
    assert 'href="https://matrix.to/#/@bob:test"' in content["formatted_body"]
    assert await remind(h, 1) == []  # exactly once


async def test_reminder_that_fires_early_waits(h: Harness) -> None:
    await h.say(ALICE, "!meetup Dinner at 19:30")
    h.clock.set(START.replace(hour=19, minute=0))
    assert await remind(h, 1) == []
    h.clock.set(START.replace(hour=19, minute=30))
    assert len(await remind(h, 1)) == 1


async def test_reminder_minutes_before_comes_from_the_config() -> None:
    h = await meetups_harness(remind_minutes_before=15)
    try:
        await h.say(ALICE, "!meetup Dinner at 19:30")
        h.clock.set(START.replace(hour=19, minute=15))
        assert len(await remind(h, 1)) == 1
    finally:
        await h.close()


async def test_a_reminder_far_too_late_is_dropped_but_never_sent_later(h: Harness) -> None:
    await h.say(ALICE, "!meetup Dinner at 19:30")
    h.clock.set(START.replace(hour=20, minute=1))  # more than 30 minutes late
    assert await remind(h, 1) == []
    rows = await h.bot.db.read("SELECT reminded_at FROM meetups_meetups")
    assert rows[0]["reminded_at"] is not None


async def test_no_reminder_for_a_cancelled_sheet_or_a_sheet_without_time(h: Harness) -> None:
    await h.say(ALICE, "!meetup Dinner at 19:30")
    await h.say(ALICE, "!meetup Board games")
    await h.say(ALICE, "!meetup cancel 1")
    assert h.bot.scheduler.job_ids() == ["core.prune_seen"]
    h.clock.set(START.replace(hour=19, minute=30))
    assert await remind(h, 1) == [] and await remind(h, 2) == []


async def test_jobs_are_rebuilt_at_start_and_the_reminder_still_goes_out_once(tmp_path) -> None:
    h = await meetups_harness(tmp_path)
    await h.say(ALICE, "!meetup Dinner at 19:30")
    await h.say(ALICE, "!meetup Lunch at 12:00")
    await h.close()

    h = await meetups_harness(tmp_path)
    try:
        assert {"meetups.remind:1", "meetups.remind:2"} <= set(h.bot.scheduler.job_ids())
        h.clock.set(START.replace(hour=12))
        assert len(await remind(h, 2)) == 1
    finally:
        await h.close()

    h = await meetups_harness(tmp_path, start=START.replace(hour=12) + timedelta(minutes=1))
    try:
        assert "meetups.remind:2" not in h.bot.scheduler.job_ids()  # sent: not scheduled again
        assert "meetups.remind:1" in h.bot.scheduler.job_ids()
        assert await remind(h, 2) == []
    finally:
        await h.close()


async def test_reminder_room_is_where_it_was_opened_not_the_lobby(h: Harness) -> None:
    h.transport.room(ROOM, ALICE, BOB, CAROL)
    await h.say(ALICE, "!meetup Dinner at 19:30", room=ROOM)
    await h.say(BOB, "!meetup join 1", room=LOBBY)
    h.clock.set(START.replace(hour=19, minute=30))
    assert [s.room_id for s in await remind(h, 1)] == [ROOM]
