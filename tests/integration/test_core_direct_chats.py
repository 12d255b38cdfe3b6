"""The bot opens a direct chat itself (a private notice to someone who never wrote to it)."""

from __future__ import annotations


async def test_a_direct_chat_opened_by_the_bot_is_readable_from_its_first_message(new_user, start_flipchart, bot_account):
    org = await new_user("org")
    alice = await new_user("alice", encrypted=True)
    room = await org.create_room("Lobby", invite=[bot_account.user_id, alice.user_id])
    await alice.join(room)
    bot = await start_flipchart(account=bot_account, rooms={"lobby": room}, organizers=[org.user_id])
    mark = alice.mark()
    await alice.send(room, "!report someone was rude")  # public: removed, and alice is told privately
    dm = await alice.wait_invite(timeout=20, exclude=(room,))
    await alice.accept_invite(dm)
    _, event = await alice.wait_for(lambda r, e: r == dm and e.get("sender") == bot.user_id
                                    and e.get("type") in ("m.room.message", "m.room.encrypted"), timeout=30, since=mark)
    assert not event.get("undecrypted"), "the first message in the bot's new direct chat could not be decrypted"
    assert "direct chat" in event["content"]["body"]
