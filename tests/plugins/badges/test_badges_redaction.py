"""Deleting (redacting) a `!me …` or `!consent …` message takes back what that message set."""

from __future__ import annotations

from test_badges_consent import ALICE, BOB, record_changes

from bot.testing.harness import Harness


async def profile(h: Harness, user: str):
    async with h.bot.db.transaction() as tx:
        return await h.bot.core.plugins["badges"].store.profile(tx, user)


async def default_consent(h: Harness, user: str) -> str:
    async with h.bot.db.transaction() as tx:
        return await h.bot.core.plugins["badges"].consent_of(tx, user, None)


async def test_redacting_a_me_message_removes_the_value_it_set_and_says_nothing(
    h: Harness,
) -> None:
    commands = {
        "$name": "!me name Mei",
        "$pronouns": "!me pronouns she/her",
        "$photo": "!me photo no",
        "$approach": "!me approach red",
    }
    for event_id, command in commands.items():
        await h.say(ALICE, command, event_id=event_id)
    await h.say(BOB, "!me name Bob")
    for event_id in commands:
        assert await h.redact(ALICE, event_id) == []  # silent: the deletion speaks for itself
    assert (await profile(h, ALICE)).is_empty
    assert (await profile(h, BOB)).name == "Bob"
    assert "Name: Bob" in await h.reply_text(ALICE, f"!badge {BOB}")
    assert "has not filled in a badge" in await h.reply_text(BOB, f"!badge {ALICE}")
    assert "deleting the message that set it" in await h.reply_text(ALICE, "!me")


async def test_redacting_an_earlier_me_message_keeps_the_later_value(h: Harness) -> None:
    await h.say(ALICE, "!me name Mei", event_id="$first")
    await h.say(ALICE, "!me name Mei Lin", event_id="$second")
    await h.redact(ALICE, "$first")
    assert (await profile(h, ALICE)).name == "Mei Lin"
    await h.redact(ALICE, "$second")
    assert (await profile(h, ALICE)).name is None


async def test_redacting_a_me_message_after_me_clear_and_a_new_value_changes_nothing(
    h: Harness,
) -> None:
    await h.say(ALICE, "!me pronouns she/her", event_id="$set")
    await h.say(ALICE, "!me clear pronouns")
    await h.say(ALICE, "!me pronouns they/them", event_id="$again")
    await h.redact(ALICE, "$set")
    assert (await profile(h, ALICE)).pronouns == "they/them"
    await h.redact(ALICE, "$again")
    assert (await profile(h, ALICE)).pronouns is None


async def test_redacting_me_lang_and_me_tz_returns_to_the_defaults(h: Harness) -> None:
    await h.say(ALICE, "!me lang zh-TW", event_id="$lang")
    await h.say(ALICE, "!me tz Asia/Taipei", event_id="$tz")
    await h.redact(ALICE, "$lang")
    await h.redact(ALICE, "$tz")
    async with h.bot.db.transaction() as tx:
        assert await h.bot.core.preferences.language(tx, ALICE) == "en"
        assert str(await h.bot.core.preferences.timezone(tx, ALICE)) == "UTC"


async def test_redacting_a_consent_message_withdraws_it_like_a_removed_reaction(
    h: Harness,
) -> None:
    changes = record_changes(h)
    await h.say(ALICE, "!consent attributed", event_id="$consent")
    assert await h.redact(ALICE, "$consent") == []
    assert await default_consent(h, ALICE) == "none"
    assert changes == [(ALICE, None), (ALICE, None)]  # the notes recompute drafts on each
    async with h.bot.db.transaction() as tx:
        history = await h.bot.core.plugins["badges"].store.history(tx, ALICE)
    assert [(c.session_id, c.choice) for c in history] == [(None, "attributed"), (None, None)]
    assert "do not quote me at all" in await h.reply_text(ALICE, "!consent")


async def test_redacting_an_earlier_consent_message_keeps_the_later_answer(h: Harness) -> None:
    changes = record_changes(h)
    await h.say(ALICE, "!consent none", event_id="$first")
    await h.say(ALICE, "!consent anonymous", event_id="$second")
    await h.redact(ALICE, "$first")
    assert await default_consent(h, ALICE) == "anonymous"
    assert changes == [(ALICE, None), (ALICE, None)]  # nothing changed: nothing announced
    await h.redact(ALICE, "$second")
    assert await default_consent(h, ALICE) == "none"
    assert len(changes) == 3


async def test_forget_me_erases_which_messages_set_the_values(h: Harness) -> None:
    await h.say(ALICE, "!me name Mei", event_id="$name")
    await h.say(ALICE, "!consent anonymous", event_id="$consent")
    await h.say(BOB, "!me name Bob", event_id="$bob")
    await h.say(ALICE, "!forget me confirm")
    async with h.bot.db.transaction() as tx:
        kept = await tx.fetchall("SELECT user_id FROM badges_sources ORDER BY user_id")
    assert [r["user_id"] for r in kept] == [BOB]
