"""The core's own commands: `!forget me` works with any set of plugins and lists what each one erases."""

from __future__ import annotations

from bot.testing.harness import Harness, make_config
from plugins.agenda import Agenda
from plugins.sessions import Sessions
from plugins.topics import Topics

ALICE = "@alice:test"


async def test_forget_me_works_without_any_plugin_and_erases_the_cores_own(tmp_path) -> None:
    h = await Harness.create(make_config(tmp_path), plugins={})
    try:
        phases: list[str] = []

        def listener(phase: str):
            async def heard(tx, user_id):
                phases.append(f"{phase} {user_id}")

            return heard

        h.bot.core.bus.subscribe("people.forgetting", listener("forgetting"))
        h.bot.core.bus.subscribe("people.forget", listener("forget"))
        async with h.bot.db.transaction() as tx:
            await h.bot.core.preferences.set_language(tx, ALICE, "zh-TW")
            await h.bot.core.preferences.set_timezone(tx, ALICE, "Asia/Taipei")
            await tx.execute("INSERT INTO core_direct_rooms (user_id, room_id) VALUES (?, '!dm:test')", (ALICE,))

        explained = await h.reply_text(ALICE, "!forget me")
        assert "!forget me confirm 會刪除" in explained and "您的語言與時區設定" in explained
        assert "此動作無法復原" in explained
        assert phases == []  # explaining changes nothing

        assert "您的資料已刪除" in await h.reply_text(ALICE, "!forget me confirm")  # still in their language
        assert phases == [f"forgetting {ALICE}", f"forget {ALICE}"]
        async with h.bot.db.transaction() as tx:
            assert await h.bot.core.preferences.language(tx, ALICE) == "en"
            assert str(await h.bot.core.preferences.timezone(tx, ALICE)) == "UTC"
            assert await tx.fetchval("SELECT count(*) FROM core_direct_rooms WHERE user_id = ?", (ALICE,)) == 0
    finally:
        await h.close()


async def test_forget_me_lists_what_the_enabled_plugins_erase_and_nothing_else() -> None:
    h = await Harness.create(make_config(), plugins={"topics": Topics, "agenda": Agenda, "sessions": Sessions})
    try:
        explained = await h.reply_text(ALICE, "!forget me")
    finally:
        await h.close()
    assert "your language and time zone" in explained  # the core's
    assert "your votes (the counts stay, anonymised)" in explained
    assert "your seats and waitlist places" in explained
    assert "badge" not in explained and "notes" not in explained and "sign-ups" not in explained
    # One list item per part, the core's first: a client without HTML shows the plain body.
    assert explained.count("\n• ") == 3
