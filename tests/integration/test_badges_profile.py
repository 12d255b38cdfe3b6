"""Badges over a real Synapse: the badge card, someone else's badge, consent and the language switch."""

from __future__ import annotations


async def test_badge_commands_answer_over_the_homeserver(new_user, start_flipchart, bot_account):
    org = await new_user("org")
    room = await org.create_room("Lobby", invite=[bot_account.user_id])
    await start_flipchart(
        account=bot_account,
        rooms={"lobby": room},
        organizers=[org.user_id],
        extra={"plugins": {"enabled": ["badges"]}},
    )
    alice = await new_user("alice")
    await org.client.room_invite(room, alice.user_id)
    await alice.join(room)
    assert "Mei" in (await alice.ask(room, "!me name Mei"))["body"]
    await alice.ask(room, "!me approach green")
    other = await org.ask(room, f"!badge {alice.user_id}")
    assert "Mei" in other["body"] and "🟢" in other["body"] and "Pronouns" not in other["body"]
    assert "participant" in (await alice.ask(room, "!consent anonymous"))["body"]
    assert (await alice.ask(room, "!me lang zh-TW"))["body"] == "從現在起我會用繁體中文回覆您。"
    assert "您的名牌" in (await alice.ask(room, "!me"))["body"]
