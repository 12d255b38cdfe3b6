"""Notes and digests over a real Synapse: a session starts (consent prompt with reactions), notes are
taken, it ends (reporter, draft in the moderation room), a moderator's ✅ publishes it (announcements
room and a Markdown file)."""

from __future__ import annotations

import asyncio

from test_sessions_seats import schedule, tomorrow

PLUGINS = ["topics", "agenda", "sessions", "badges", "notes"]


def from_bot(bot, room, text: str):
    return lambda r, e: (
        r == room
        and e.get("sender") == bot.user_id
        and e.get("type") == "m.room.message"
        and text in e["content"].get("body", "")
    )


async def event_with_rooms(new_user, start_flipchart, bot_account):
    """Organizer, moderator and a participant; lobby, announcements and moderation rooms; the bot."""
    org, mod, alice = await asyncio.gather(new_user("org"), new_user("mod"), new_user("alice"))
    lobby = await org.create_room("Lobby", invite=[bot_account.user_id, mod.user_id, alice.user_id])
    news = await org.create_room("News", invite=[bot_account.user_id, mod.user_id, alice.user_id])
    moderation = await org.create_room("Moderation", invite=[bot_account.user_id, mod.user_id])
    await asyncio.gather(
        mod.join(lobby), mod.join(news), mod.join(moderation), alice.join(lobby), alice.join(news)
    )
    bot = await start_flipchart(
        account=bot_account,
        rooms={"lobby": lobby, "announcements": news, "moderation": moderation},
        organizers=[org.user_id],
        moderators=[mod.user_id],
        extra={"plugins": {"enabled": PLUGINS}},
    )
    return org, mod, alice, (lobby, news, moderation), bot


async def started_session(org, alice, rooms, bot, title: str):
    lobby = rooms[0]
    sid = await schedule(org, lobby, title, starts=tomorrow())
    await alice.ask(lobby, f"!join {sid}")
    room = await alice.wait_invite(exclude=tuple(rooms))
    await alice.accept_invite(room)
    mark = alice.mark()
    assert "has started" in (await org.ask(lobby, f"!start {sid}"))["body"]
    _, prompt = await alice.wait_for(from_bot(bot, room, "may we quote you"), since=mark)
    return sid, room, prompt


async def test_notes_end_reporter_draft_approve_publish(new_user, start_flipchart, bot_account):
    org, mod, alice, rooms, bot = await event_with_rooms(new_user, start_flipchart, bot_account)
    lobby, news, moderation = rooms
    sid, room, prompt = await started_session(org, alice, rooms, bot, "Open transit data")
    await alice.react(room, prompt["event_id"], "✅")
    assert "with your name" in (await alice.ask(room, "!note timetables should be open"))["body"]
    await alice.ask(room, "!action write the wiki page")
    mark = mod.mark()
    assert "has ended" in (await org.ask(lobby, f"!end {sid}"))["body"]
    await alice.wait_for(from_bot(bot, room, "Reporter for session"))
    _, draft = await mod.wait_for(from_bot(bot, moderation, "Draft digest"), since=mark)
    assert "timetables should be open" in draft["content"]["body"]
    await mod.react(moderation, draft["event_id"], "✅")
    _, published = await mod.wait_for(from_bot(bot, news, "timetables should be open"), since=mark)
    assert "write the wiki page" in published["content"]["body"]
    files = bot.data_dir / "digests"
    assert "timetables should be open" in (files / f"session-{sid:04d}.md").read_text()
    assert f"#{sid} Open transit data" in (files / "index.md").read_text()
