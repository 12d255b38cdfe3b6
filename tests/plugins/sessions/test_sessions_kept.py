"""What sessions keep between commands follows every write that changes it: a full session's
suggestions (each slot's seatings), the agenda's seat counts (every booked session's) and the sessions
made from the kept reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.testing.harness import ORGANIZER


async def fill(event, sid: int, users: list[str]) -> None:
    for user in users:
        await event.h.say(user, f"!join {sid}")


async def test_the_suggestions_of_a_full_session_follow_every_change_of_the_slot(event):
    full = await event.session("Full", cap=1)
    other = await event.session("Other", cap=1)
    await fill(event, full, ["@a:test"])
    await fill(event, other, ["@b:test"])
    assert "Every other session of this slot is full" in await event.h.reply_text("@c:test", f"!join {full}")
    # A cap (this plugin's settings): the slot's seatings are read again.
    await event.h.say(ORGANIZER, f"!cap {other} 2")
    assert f"#{other} Other (1/2)" in await event.h.reply_text("@d:test", f"!join {full}")
    # A booking (the agenda's grid): a session scheduled into the slot is suggested.
    newcomer = await event.session("Newcomer", cap=4)
    assert f"#{newcomer} Newcomer (0/4)" in await event.h.reply_text("@e:test", f"!join {full}")
    # A title (the topics').
    await event.h.say(ORGANIZER, f"!retitle {newcomer} Renamed")
    assert f"#{newcomer} Renamed (0/4)" in await event.h.reply_text("@f:test", f"!join {full}")
    # A step of the clock: an ended session is suggested no more.
    await event.h.say(ORGANIZER, f"!start {newcomer}")
    await event.h.say(ORGANIZER, f"!end {newcomer}")
    reply = await event.h.reply_text("@g:test", f"!join {full}")
    assert f"#{newcomer}" not in reply and f"#{other} Other (1/2)" in reply
    # A booking gone.
    await event.h.say(ORGANIZER, f"!unschedule {other}")
    assert "Every other session of this slot is full" in await event.h.reply_text("@h:test", f"!join {full}")


async def test_the_agenda_seat_counts_follow_caps_moves_and_seats(event):
    sid = await event.session("Counted", location="Small", cap=2)
    await event.location("Big", cap=5)
    await fill(event, sid, ["@a:test"])
    assert "(1/2)" in await event.h.reply_text("@x:test", "!agenda all")
    await event.h.say(ORGANIZER, f"!schedule {sid} S1 Big")  # the location's cap, from the grid
    assert "(1/5)" in await event.h.reply_text("@x:test", "!agenda all")
    await event.h.say(ORGANIZER, f"!cap {sid} 3")  # this plugin's cap
    assert "(1/3)" in await event.h.reply_text("@x:test", "!agenda all")
    await fill(event, sid, ["@b:test"])  # a seat (the roster)
    assert "(2/3)" in await event.h.reply_text("@x:test", "!agenda all")
    later = await event.session("Later", starts=event.start + timedelta(hours=3), location="Other", cap=4)
    assert f"#{later}" in (grid := await event.h.reply_text("@x:test", "!agenda all")) and "(0/4)" in grid


async def test_the_agenda_seat_counts_are_those_of_the_sessions_asked_for(event):
    """The last answer kept is for the same sessions only: two days, each its own session."""
    first = await event.session("Day one", location="Hall", cap=3)
    second = await event.session("Day two", starts=event.start + timedelta(days=1), location="Hall")
    await event.h.say(ORGANIZER, f"!cap {second} 5")  # not the location's cap: only sessions know it
    assert f"#{first} Day one (0/3)" in await event.h.reply_text("@x:test", "!agenda 2026-11-28")
    assert f"#{second} Day two (0/5)" in await event.h.reply_text("@x:test", "!agenda 2026-11-29")


async def test_a_session_made_again_from_other_reads_is_made_of_them(event):
    """`_make` gives the session it made last only for the same title and proposer and the very same
    booking and state: a read that differs in any of them makes a new one, as without the cache."""
    sid = await event.session("Made", cap=5)
    sessions = event.sessions
    async with event.h.bot.db.transaction() as tx:
        topic = await sessions.plugin("topics").get(tx, sid)
        booking = await sessions.plugin("agenda").booking(tx, sid)
        state = await sessions.store.state(tx, sid)
    made = sessions._make(topic, booking, state)
    assert sessions._make(topic, booking, state) is made  # the same reads: kept
    assert sessions._make(replace(topic, votes=topic.votes + 1), booking, state) is made  # a vote: kept
    moved = replace(booking, location=replace(booking.location, name="Elsewhere"))
    cases = [
        (replace(topic, title="Retitled"), booking, state, "title", "Retitled"),
        (replace(topic, proposer="@other:test"), booking, state, "proposer", "@other:test"),
        (topic, moved, state, "location", "Elsewhere"),
        (topic, booking, replace(state, cap=7), "cap", 7),
    ]
    for other_topic, other_booking, other_state, name, value in cases:
        sessions._make(topic, booking, state)  # kept again from the first reads
        assert getattr(sessions._make(other_topic, other_booking, other_state), name) == value, name


async def test_the_seat_counts_counted_again_only_where_a_roster_changed_are_those_counted_afresh(event):
    """After the first answer, `occupancy` counts only the sessions whose rosters changed: each answer
    is the one counted from nothing (no answer kept), through joins, a promotion and nothing at all."""
    ids = [await event.session(f"Counted {i}", cap=1) for i in range(3)]
    unbooked = await event.topic("Not on the agenda")
    asked = [*ids, unbooked]
    sessions = event.sessions

    async def answers() -> tuple[dict, dict]:
        async with event.h.bot.db.transaction() as tx:
            kept = await sessions.occupancy(tx, asked)
            sessions._last_occupancy = None
            fresh = await sessions.occupancy(tx, asked)
            sessions._last_occupancy = None
            await sessions.occupancy(tx, asked)  # the next step starts from this answer kept
        return kept, fresh

    await answers()
    for user, body in [
        ("@a:test", f"!join {ids[0]}"),
        ("@b:test", f"!join {ids[0]}"),  # waitlisted: the count stays
        ("@c:test", f"!join {ids[2]}"),
        ("@a:test", f"!leave {ids[0]}"),  # @b promoted
        ("@x:test", "!agenda"),  # nothing changed
    ]:
        await event.h.say(user, body)
        kept, fresh = await answers()
        assert kept == fresh, body
    assert fresh == {ids[0]: (1, 1), ids[1]: (0, 1), ids[2]: (1, 1), unbooked: (0, sessions.config.default_cap)}


async def test_a_session_with_its_people_given_again_only_for_the_same_session_and_people(event):
    """`_with_people` gives the info it gave last only for the very same session and roster read: a
    new seat, a new waitlist place or another session each make a new one."""
    sid = await event.session("With people", cap=1)
    sessions = event.sessions

    async def info(session=None):
        async with event.h.bot.db.transaction() as tx:
            return await sessions._with_people(tx, session or await sessions.session(tx, sid))

    first = await info()
    assert await info() is first and first.participants == () and first.waitlist == ()
    await event.h.say("@a:test", f"!join {sid}")
    assert (await info()).participants == ("@a:test",)
    await event.h.say("@b:test", f"!join {sid}")  # the waitlist alone changes
    seated = await info()
    assert seated.waitlist == ("@b:test",)
    assert (await info(replace(seated, title="Other"))).title == "Other"  # another session, same people
