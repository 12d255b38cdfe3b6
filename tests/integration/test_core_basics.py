"""The bot as it runs in production (a subprocess) against a real Synapse: health, help, errors, invites."""

from __future__ import annotations

import asyncio

from bot.testing.matrix import replies_to


async def _lobby(new_user, start_flipchart, bot_account, *, encrypted=False, **kw):
    org = await new_user("org", encrypted=encrypted)
    room = await org.create_room("Lobby", invite=[bot_account.user_id], encrypted=encrypted)
    bot = await start_flipchart(account=bot_account, rooms={"lobby": room}, organizers=[org.user_id], **kw)
    return org, room, bot


async def test_ping_answers_pong_as_a_threaded_notice_with_mentions(new_user, start_flipchart, bot_account):
    org, room, _ = await _lobby(new_user, start_flipchart, bot_account)
    reply = await org.ask(room, "!ping")
    assert reply["msgtype"] == "m.notice"
    assert reply["body"] == "pong"
    assert reply["m.mentions"] == {}
    root = await org.send(room, "a thread root")
    in_thread = await org.ask(room, "!ping", thread_root=root)
    assert in_thread["m.relates_to"]["rel_type"] == "m.thread"
    assert in_thread["m.relates_to"]["event_id"] == root


async def test_help_in_a_plain_room_lists_commands_and_hides_organizer_ones_from_others(
    new_user, start_flipchart, bot_account
):
    org, room, _ = await _lobby(new_user, start_flipchart, bot_account)
    alice = await new_user("alice")
    await org.client.room_invite(room, alice.user_id)
    await alice.join(room)
    mine = await org.ask(room, "!help")
    theirs = await alice.ask(room, "!help")
    assert "!ping" in mine["body"] and "!ping" in theirs["body"]
    assert "<code>!help [command]</code>" in mine["formatted_body"]
    assert "!status" in mine["body"]
    assert "!status" not in theirs["body"]


async def test_help_in_an_encrypted_room_is_answered_encrypted(new_user, start_flipchart, bot_account):
    org, room, _ = await _lobby(new_user, start_flipchart, bot_account, encrypted=True)
    mark = org.mark()
    reply = await org.ask(room, "!help", timeout=30)
    assert "!ping" in reply["body"]
    _, raw = await org.wait_for(lambda r, e: replies_to(e) is not None and r == room, since=mark)
    # The reply arrived over the wire encrypted; nio decrypted it for us.
    assert not raw.get("undecrypted")
    assert org.client.rooms[room].encrypted


async def test_unknown_command_suggests_the_closest(new_user, start_flipchart, bot_account):
    org, room, _ = await _lobby(new_user, start_flipchart, bot_account)
    reply = await org.ask(room, "!pnig")
    assert "!pnig" in reply["body"] and "!ping" in reply["body"]


async def test_invite_from_a_server_not_allowed_is_declined(new_user, start_flipchart):
    bot = await start_flipchart(extra={"bot": {"allowed_servers": ["example.org"]}})
    stranger = await new_user("stranger")
    room = await stranger.create_room("Elsewhere", invite=[bot.user_id])
    # The bot leaves (declines): its membership becomes 'leave'.
    for _ in range(200):
        members = await stranger.client.joined_members(room)
        resp = await stranger.client.room_get_state_event(room, "m.room.member", bot.user_id)
        if getattr(resp, "content", {}).get("membership") == "leave":
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the bot did not decline the invite")
    assert bot.user_id not in [m.user_id for m in members.members]
    assert "declining an invite" in bot.log_text()


async def test_history_from_before_the_bot_joined_is_not_answered(new_user, start_flipchart, bot_account):
    org = await new_user("org")
    room = await org.create_room("Lobby", invite=[bot_account.user_id])
    old = await org.send(room, "!ping")  # before the bot's first start
    bot = await start_flipchart(account=bot_account, rooms={"lobby": room}, organizers=[org.user_id])
    later = await org.create_room("Later", invite=[bot.user_id])
    before_join = await org.send(later, "!ping")  # before the bot accepts the invite
    assert (await org.ask(room, "!ping"))["body"] == "pong"
    for _ in range(100):  # the bot accepts the invite to the second room
        members = await org.client.joined_members(later)
        if bot.user_id in [m.user_id for m in members.members]:
            break
        await asyncio.sleep(0.1)
    assert (await org.ask(later, "!ping"))["body"] == "pong"
    answered = {replies_to(e) for _, e in org.events if e.get("sender") == bot.user_id}
    assert old not in answered and before_join not in answered
