"""!who, !sessions, !mine and the providers the agenda grid uses."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.people import Person
from bot.testing.harness import ORGANIZER
from plugins.sessions import listing, person_fields


async def fill(event, sid: int, users: list[str]) -> None:
    for user in users:
        await event.h.say(user, f"!join {sid}")


def use_badges(event) -> None:
    badges = {
        "@a:test": Person("@a:test", "Ada", pronouns="she/her", approach="green", photo=False),
        "@b:test": Person("@b:test", "Bo", approach="red"),
    }

    async def provider(tx, user_id: str, name: str) -> Person:
        return badges.get(user_id, Person(user_id, name))

    event.h.bot.core.people.use(provider)


async def test_who_lists_badge_names_and_ids_then_the_waitlist_in_order(event):
    use_badges(event)
    sid = await event.session("Who is in", cap=2)
    await fill(event, sid, ["@a:test", "@b:test", "@w1:test", "@w2:test"])
    reply = await event.h.reply_text("@x:test", f"!who {sid}")
    assert "2/2" in reply
    assert "🟢 🚫📷 Ada (she/her) — @a:test" in reply
    assert "🔴 Bo — @b:test" in reply
    waitlist = reply.split("Waitlist", 1)[1]
    assert "Ada" not in waitlist
    assert waitlist.index("@w1:test") < waitlist.index("@w2:test")
    assert reply.index("@b:test") < reply.index("Waitlist")


async def test_who_shows_a_changed_badge_and_each_language_at_once(event):
    """Participants' lines are kept rendered: a new name, pronouns or marker shows at the next `!who`."""
    use_badges(event)
    sid = await event.session("Kept lines", cap=1)
    await fill(event, sid, ["@a:test", "@b:test"])
    assert "Ada (she/her) — @a:test" in await event.h.reply_text("@x:test", f"!who {sid}")
    badges = {
        "@a:test": Person("@a:test", "Ada L.", pronouns="they/them", approach="yellow"),
        "@b:test": Person("@b:test", "Bo", pronouns="he/him", approach="red"),
    }

    async def provider(tx, user_id: str, name: str) -> Person:
        return badges[user_id]

    event.h.bot.core.people.use(provider)
    reply = await event.h.reply_text("@x:test", f"!who {sid}")
    assert "🟡 Ada L. (they/them) — @a:test" in reply and "🚫📷" not in reply
    assert "1. 🔴 Bo (he/him) — @b:test" in reply
    async with event.h.bot.db.transaction() as tx:
        await event.h.bot.core.preferences.set_language(tx, "@zh:test", "zh-TW")
    assert "Ada L.（they/them）— @a:test" in await event.h.reply_text("@zh:test", f"!who {sid}")


async def test_who_heading_is_translated(event):
    sid = await event.session("候補", cap=1)
    await fill(event, sid, ["@a:test", "@b:test"])
    async with event.h.bot.db.transaction() as tx:
        await event.h.bot.core.preferences.set_language(tx, "@zh:test", "zh-TW")
    reply = await event.h.reply_text("@zh:test", f"!who {sid}")
    assert "候補名單" in reply and "Waitlist" not in reply


async def test_who_without_waitlist_has_no_waitlist_heading(event):
    sid = await event.session("Quiet")
    await fill(event, sid, ["@a:test"])
    assert "Waitlist" not in await event.h.reply_text("@x:test", f"!who {sid}")


async def test_sessions_lists_emptiest_first_and_marks_full_ones(event):
    busy = await event.session("Busy", cap=2)
    empty = await event.session("Empty", cap=4)
    half = await event.session("Half", cap=4)
    await fill(event, busy, ["@a:test", "@b:test", "@c:test"])
    await fill(event, half, ["@d:test"])
    reply = await event.h.reply_text("@x:test", "!sessions")
    lines = [line for line in reply.splitlines() if line.strip().startswith("•") or "#" in line]
    order = [int(line.split("#", 1)[1].split()[0]) for line in lines if "—" in line]
    assert order == [empty, half, busy]
    busy_line = next(line for line in lines if f"#{busy}" in line)
    assert "2/2" in busy_line and "full" in busy_line and "1 waiting" in busy_line
    assert "full" not in next(line for line in lines if f"#{half}" in line)


async def test_sessions_now_next_and_by_slot(event):
    h = event.h
    early = await event.session("Early", starts=event.start.replace(hour=10))
    late = await event.session("Late", starts=event.start.replace(hour=12))
    h.clock.set(event.start.replace(hour=10, minute=30))
    now = await h.reply_text("@x:test", "!sessions now")
    assert f"#{early}" in now and f"#{late}" not in now
    nxt = await h.reply_text("@x:test", "!sessions next")
    assert f"#{late}" in nxt and f"#{early}" not in nxt
    by_slot = await h.reply_text("@x:test", "!sessions S2")
    assert f"#{late}" in by_slot and f"#{early}" not in by_slot
    assert "no slot" in (await h.reply_text("@x:test", "!sessions S9")).lower()
    h.clock.advance(hours=5)
    assert "No session is running now, and none is coming up" in await h.reply_text("@x:test", "!sessions")
    assert "No session is running now. What comes next: !sessions next" in await h.reply_text("@x:test", "!sessions now")
    assert "No session is coming up" in await h.reply_text("@x:test", "!sessions next")
    await h.say(ORGANIZER, "!slot add 2026-11-29 09:00-10:00")
    assert "No sessions are scheduled in S3" in await h.reply_text("@x:test", "!sessions S3")


async def test_mine_shows_seats_and_waitlist_places_in_my_time_zone(event):
    h = event.h
    first = await event.session("Seat", cap=1)
    second = await event.session("Queue", cap=1, starts=event.start.replace(hour=13))
    await fill(event, second, ["@other:test"])
    await fill(event, first, ["@me:test"])
    await fill(event, second, ["@me:test"])
    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_timezone(tx, "@me:test", "Asia/Taipei")
    reply = await h.reply_text("@me:test", "!mine")
    assert "Asia/Taipei" in reply
    assert (
        f"2026-11-28 18:00–19:00 — #{first} Seat" in reply and "seat" in reply
    )  # 10:00 UTC = 18:00 Taipei
    assert f"2026-11-28 21:00–22:00 — #{second} Queue" in reply and "waitlist number 1" in reply
    assert reply.index(f"#{first}") < reply.index(f"#{second}")


async def test_mine_when_signed_up_nowhere_points_to_sessions(event):
    assert "!sessions" in await event.h.reply_text("@me:test", "!mine")


async def test_the_agenda_grid_and_calendar_use_the_seats(event):
    """The providers registered with agenda.set_occupancy / set_mine, seen through the agenda's commands."""
    sid = await event.session("Grid", cap=1)
    other = await event.session("Other", starts=event.start + timedelta(hours=3))
    await fill(event, sid, ["@a:test", "@b:test"])
    await fill(event, other, ["@b:test"])
    await event.h.say(ORGANIZER, f"!cap {other} 30")
    grid = await event.h.reply_text("@x:test", "!agenda all")
    assert "(1/1)" in grid and "(1/30)" in grid
    before = set(event.h.transport.uploads)
    await event.h.say("@b:test", "!agenda ics mine")
    (upload,) = [event.h.transport.uploads[u] for u in set(event.h.transport.uploads) - before]
    assert b"Other" in upload and b"Grid" not in upload, "a waitlist place is not a seat"


async def test_sessions_of_a_slot_named_by_its_label(event):
    h = event.h
    await h.say(ORGANIZER, "!slot add 2026-11-28 14:00-15:00 After lunch")
    topic = await event.topic("Labelled")
    await event.location("Garden")
    await h.say(ORGANIZER, f"!schedule {topic} After lunch Garden")
    assert f"#{topic} Labelled" in await h.reply_text("@x:test", "!sessions after lunch")


async def test_forgetting_someone_drops_the_who_lines_and_sessions_kept_in_memory(event):
    sid = await event.session("Kept lines", cap=3)
    await fill(event, sid, ["@a:test", "@b:test"])
    await event.h.reply_text("@x:test", f"!who {sid}")
    sessions = event.h.bot.core.plugins["sessions"]
    async with event.h.bot.db.transaction() as tx:
        await sessions.info(tx, sid)  # as every `!note` asks
    assert sessions._person_line.cache_info().currsize == 2 and sessions._made and sessions._with
    async with event.h.bot.db.transaction() as tx:  # what `!forget me confirm` emits (badges is off here)
        await event.h.bot.core.bus.emit(tx, "people.forget", user_id="@a:test")
    assert sessions._person_line.cache_info().currsize == 0 and not sessions._made and not sessions._with
    who = await event.h.reply_text("@x:test", f"!who {sid}")
    assert "@b:test" in who and "@a:test" not in who


async def test_a_kept_who_line_is_the_line_of_the_person_as_they_are_in_every_field_and_language(event):
    """The lines are kept by the tuple of a person's fields: a person who differs in any one field, or a
    reader of another language, gets their own line, the one rendered without the cache."""
    sessions = event.sessions
    render = event.h.bot.core.catalogue.render
    base = Person("@a:test", "Ada", pronouns="she/her", approach="green", photo=None)
    variants = [
        base,
        replace(base, user_id="@b:test"),
        replace(base, name="Bo"),
        replace(base, pronouns="they/them"),
        replace(base, approach="red"),
        replace(base, photo=False),
    ]
    for lang in ("en", "zh-TW"):
        for person in variants:  # the base first: each variant after it would get the base's line
            assert sessions._person_line(person_fields(person), lang) == render(listing.person(person), lang)
    assert sessions._person_line(person_fields(base), "en") != sessions._person_line(person_fields(base), "zh-TW")
