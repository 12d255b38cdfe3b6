"""!me, !badge and the people provider."""

from __future__ import annotations

from bot.testing.harness import Harness

ALICE, BOB = "@alice:test", "@bob:test"


async def test_me_shows_unset_fields_and_how_to_change_them(h: Harness) -> None:
    reply = await h.reply_text(ALICE, "!me")
    assert "Name: (not set)" in reply
    assert "Notes (default): do not quote me at all" in reply
    assert "!me approach green|yellow|red" in reply


async def test_setting_fields_shows_them_on_my_badge(h: Harness) -> None:
    assert "Saved. name: Mei Lin" in await h.reply_text(ALICE, "!me name Mei Lin")
    await h.reply_text(ALICE, "!me pronouns she/her")
    await h.reply_text(ALICE, "!me photo no")
    await h.reply_text(ALICE, "!me approach yellow")
    reply = await h.reply_text(ALICE, "!me")
    assert "Name: Mei Lin" in reply
    assert "Pronouns: she/her" in reply
    assert "Photos: please do not photograph" in reply
    assert "🟡 yellow: ask first / only people I know" in reply


async def test_lang_switches_every_later_reply_to_traditional_chinese(h: Harness) -> None:
    assert await h.reply_text(ALICE, "!me lang zh-TW") == "從現在起我會用繁體中文回覆您。"
    reply = await h.reply_text(ALICE, "!me")
    assert "您的名牌" in reply and "語言：繁體中文" in reply
    assert "已儲存。名字：梅" in await h.reply_text(ALICE, "!me name 梅")
    assert "Saved" in await h.reply_text(BOB, "!me name Bob")  # others keep English


async def test_tz_is_stored_as_the_core_preference(h: Harness) -> None:
    assert "Asia/Taipei" in await h.reply_text(ALICE, "!me tz Asia/Taipei")
    async with h.bot.db.transaction() as tx:
        assert str(await h.bot.core.preferences.timezone(tx, ALICE)) == "Asia/Taipei"
    assert "not a time zone" in await h.reply_text(ALICE, "!me tz Mars/Olympus")


async def test_clear_removes_one_field(h: Harness) -> None:
    await h.reply_text(ALICE, "!me name Mei")
    await h.reply_text(ALICE, "!me pronouns they/them")
    assert "Cleared: pronouns." in await h.reply_text(ALICE, "!me clear pronouns")
    reply = await h.reply_text(ALICE, "!me")
    assert "Name: Mei" in reply and "Pronouns: (not set)" in reply


async def test_bad_badge_input_gets_a_clear_answer(h: Harness) -> None:
    assert "not a badge field" in await h.reply_text(ALICE, "!me colour blue")
    assert "too long" in await h.reply_text(ALICE, "!me name " + "x" * 65)
    assert "cannot start with @" in await h.reply_text(ALICE, "!me name @admin:test")
    assert "must be one of" in await h.reply_text(ALICE, "!me approach purple")


async def test_badge_of_someone_shows_only_what_they_set(h: Harness) -> None:
    assert "has not filled in a badge" in await h.reply_text(BOB, f"!badge {ALICE}")
    await h.reply_text(ALICE, "!me pronouns she/her")
    reply = await h.reply_text(BOB, f"!badge {ALICE}")
    assert "Pronouns: she/her" in reply
    assert "Name" not in reply and "Photos" not in reply and "not set" not in reply
    assert "Language" not in reply and "Notes" not in reply


async def test_people_show_badge_name_pronouns_and_marker(h: Harness) -> None:
    h.transport.display_names[ALICE] = "alice display"
    async with h.bot.db.transaction() as tx:
        before = await h.bot.core.people.get(tx, ALICE)
    assert before.name == "alice display" and before.marker == ""
    await h.reply_text(ALICE, "!me name Mei")
    await h.reply_text(ALICE, "!me pronouns she/her")
    await h.reply_text(ALICE, "!me approach red")
    await h.reply_text(ALICE, "!me photo no")
    async with h.bot.db.transaction() as tx:
        person = await h.bot.core.people.get(tx, ALICE)
    assert (person.name, person.pronouns, person.marker, person.photo) == (
        "Mei",
        "she/her",
        "🔴",
        False,
    )


async def test_catalogue_is_complete_in_both_languages(h: Harness) -> None:
    keys = [k for k in h.bot.catalogue.keys() if k.startswith("badges.")]
    assert keys
    assert not [m for m in h.bot.catalogue.missing() if m[0].startswith("badges.")]
    assert not [k for k in h.bot.catalogue.placeholders_mismatch() if k.startswith("badges.")]


async def test_names_lose_bidi_overrides_and_control_characters(h: Harness) -> None:
    assert "Saved. name: Meiabc" in await h.reply_text(ALICE, "!me name Mei\u202eabc\u2066")
    assert "Missing: pronouns" in await h.reply_text(ALICE, "!me pronouns \u202e")


async def test_badge_of_a_pill_whose_display_name_has_a_space(h: Harness) -> None:
    await h.say(ALICE, "!me name Mei Lin")
    # A client's pill puts the display name in the body and the person in m.mentions.
    reply = await h.reply_text(BOB, "!badge Mei Lin", mentions=(ALICE,))
    assert "Name: Mei Lin" in reply and "did not understand" not in reply, reply
