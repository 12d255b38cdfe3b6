"""Badges over a real Synapse, with a running event: the consent prompt answered by reaction, and !export."""

from __future__ import annotations

import io
import json
import zipfile

from test_notes_flow import event_with_rooms, started_session


async def test_consent_prompt_reactions_set_and_undo_the_answer_for_the_session(
    new_user, start_flipchart, bot_account
):
    org, _, alice, rooms, bot = await event_with_rooms(new_user, start_flipchart, bot_account)
    sid, room, prompt = await started_session(org, alice, rooms, bot, "Consent by reaction")
    _, own = await alice.wait_for(
        lambda r, e: (
            r == room
            and e.get("type") == "m.reaction"
            and e["sender"] == bot.user_id
            and e["content"]["m.relates_to"]["key"] == "🚫"
        )
    )
    assert own["content"]["m.relates_to"]["event_id"] == prompt["event_id"]
    reaction = await alice.react(room, prompt["event_id"], "✅")
    assert "with your name" in (await alice.ask(room, "!note first point"))["body"]
    await alice.redact(room, reaction)
    assert "will not be published" in (await alice.ask(room, "!note second point"))["body"]
    assert f"#{sid}" in (await alice.ask(room, "!notes"))["body"]


async def direct_chat(user, bot_id: str) -> str:
    """A direct chat with the bot, once the bot is in it (it answers only what comes after its join)."""
    mark = user.mark()
    room = await user.create_room(invite=[bot_id], is_direct=True)
    await user.wait_for(
        lambda r, e: (
            r == room and e.get("state_key") == bot_id and e.get("type") == "m.room.member"
        ),
        since=mark,
    )
    return room


async def test_export_arrives_as_a_zip_in_the_organizers_direct_chat(
    new_user, start_flipchart, bot_account
):
    org, _, alice, rooms, bot = await event_with_rooms(new_user, start_flipchart, bot_account)
    await alice.ask(rooms[0], "!me name Mei")
    assert "direct chat" in (await org.ask(rooms[0], "!export"))["body"]
    dm = await direct_chat(org, bot.user_id)
    mark = org.mark()
    await org.send(dm, "!export")
    _, file_event = await org.wait_for(
        lambda r, e: r == dm and e.get("content", {}).get("msgtype") == "m.file", since=mark
    )
    assert file_event["content"]["info"]["mimetype"] == "application/zip"
    download = await org.client.download(file_event["content"]["url"])
    archive = zipfile.ZipFile(io.BytesIO(download.body))
    assert {"badges.json", "notes.json", "sessions.json", "README.md"} <= set(archive.namelist())
    assert json.loads(archive.read("badges.json"))["profiles"][0]["name"] == "Mei"
