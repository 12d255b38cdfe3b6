from bot.testing.harness import ORGANIZER


async def test_join_gives_a_seat_and_shows_joined_over_cap(event):
    sid = await event.session("Open data")
    reply = await event.h.reply_text("@alice:test", f"!join {sid}")
    assert f"#{sid}" in reply and "1/8" in reply, reply
    info = await event.info(sid)
    assert info.participants == ("@alice:test",)
    print(await event.h.reply_text(ORGANIZER, f"!who {sid}"))
    print(await event.h.reply_text(ORGANIZER, "!sessions"))
    print(await event.h.reply_text("@alice:test", "!mine"))
