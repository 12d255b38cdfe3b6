"""Safety over a real Synapse: a report and its answer are anonymous both ways; a public !report is removed."""

from __future__ import annotations

import json

from bot.testing.matrix import replies_to

PLUGINS = ["safety"]
SECRET = "The person in the red jacket keeps filming me"


async def setup(new_user, start_flipchart, bot_account):
    """An organizer's lobby (the bot may redact there: power 50) and a safety room with one team member."""
    org = await new_user("org")
    safe = await new_user("safe")
    alice = await new_user("alice")
    await safe.client.set_displayname("Sam Guardian")
    await alice.client.set_displayname("Alice Wong")
    bot_id = bot_account.user_id
    # The room's creator keeps full power by itself (room v12); the bot gets moderator power to redact.
    lobby = await org.create_room("Lobby", invite=[bot_id, alice.user_id], power={bot_id: 50})
    await alice.join(lobby)
    safety_room = await safe.create_room("Safety team", invite=[bot_id])
    bot = await start_flipchart(
        account=bot_account,
        rooms={"lobby": lobby, "safety": safety_room},
        organizers=[org.user_id],
        safety=[safe.user_id],
        extra={"plugins": {"enabled": PLUGINS}},
    )
    return org, safe, alice, lobby, safety_room, bot


async def direct_chat(user, bot_id: str) -> str:
    """The person opens a direct chat with the bot and waits until the bot is in it."""
    mark = user.mark()
    room = await user.create_room(invite=[bot_id], is_direct=True)
    await user.wait_for(
        lambda r, e: (
            r == room
            and e.get("type") == "m.room.member"
            and e.get("state_key") == bot_id
            and e.get("content", {}).get("membership") == "join"
        ),
        since=mark,
    )
    return room


def from_bot(bot_id: str, room: str, needle: str):
    return lambda r, e: (
        r == room and e.get("sender") == bot_id and needle in e.get("content", {}).get("body", "")
    )


async def test_report_and_answer_are_anonymous_both_ways(new_user, start_flipchart, bot_account):
    _, safe, alice, _, safety_room, bot = await setup(new_user, start_flipchart, bot_account)
    dm = await direct_chat(alice, bot.user_id)
    mark = safe.mark()
    receipt = await alice.ask(dm, f"!report {SECRET}")
    assert "#1" in receipt["body"] and "anonymously" in receipt["body"]
    assert SECRET not in json.dumps(receipt)

    _, forwarded = await safe.wait_for(from_bot(bot.user_id, safety_room, "Report #1"), since=mark)
    raw = json.dumps(forwarded, ensure_ascii=False)
    assert SECRET in forwarded["content"]["body"]
    assert alice.user_id not in raw and "Alice" not in raw and "alice" not in raw.lower()

    mark = alice.mark()
    confirm = await safe.ask(safety_room, "!answer 1 Thank you. We have asked them to stop.")
    assert "Passed on" in confirm["body"]
    _, relayed = await alice.wait_for(
        from_bot(bot.user_id, dm, "We have asked them to stop."), since=mark
    )
    raw = json.dumps(relayed, ensure_ascii=False)
    assert "The safety team answered your report #1" in relayed["content"]["body"]
    assert safe.user_id not in raw and "Sam" not in raw and "Guardian" not in raw


async def test_report_typed_in_the_lobby_is_removed_and_the_person_told_privately(
    new_user, start_flipchart, bot_account
):
    _, safe, alice, lobby, safety_room, bot = await setup(new_user, start_flipchart, bot_account)
    # Alice has talked to the bot before: the private notice goes to that direct chat. (A direct chat the
    # bot opens itself is encrypted, and its first message is sent before she joins: see the report.)
    dm = await direct_chat(alice, bot.user_id)
    mark = alice.mark()
    event_id = await alice.send(lobby, f"!report {SECRET}")
    _, redaction = await alice.wait_for(
        lambda r, e: (
            r == lobby
            and e.get("type") == "m.room.redaction"
            and event_id in (e.get("redacts"), e.get("content", {}).get("redacts"))
        ),
        since=mark,
    )
    assert redaction["sender"] == bot.user_id
    _, told = await alice.wait_for(from_bot(bot.user_id, dm, "direct chat"), since=mark)
    assert SECRET not in json.dumps(told, ensure_ascii=False)
    # Nothing reached the team, and nothing was answered in the lobby.
    assert "No open reports" in (await safe.ask(safety_room, "!reports"))["body"]
    assert not [e for r, e in safe.events if SECRET in json.dumps(e, ensure_ascii=False)]
    assert not [e for r, e in alice.events[mark:] if r == lobby and replies_to(e) == event_id]
