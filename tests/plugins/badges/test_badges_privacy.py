"""!forget me, the retention purge and the organizers' !export."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from bot.testing.harness import LOBBY, ORGANIZER, Harness, make_config
from plugins.badges import Badges

ALICE, BOB = "@alice:test", "@bob:test"
DM = "!dm-org:test"


async def test_forget_me_explains_first_and_changes_nothing(h: Harness) -> None:
    await h.reply_text(ALICE, "!me name Mei")
    reply = await h.reply_text(ALICE, "!forget me")
    assert "!forget me confirm" in reply and "cannot be undone" in reply
    assert "Name: Mei" in await h.reply_text(ALICE, "!me")


async def test_forget_me_lists_the_badge_and_consents_in_either_language(h: Harness) -> None:
    assert "your badge (name, pronouns, photo, approach)" in await h.reply_text(ALICE, "!forget me")
    await h.reply_text(ALICE, "!me lang zh-TW")
    assert "您的名牌" in await h.reply_text(ALICE, "!forget me")


async def test_forget_me_confirm_erases_profile_consent_preferences_and_tells_everyone(
    h: Harness,
) -> None:
    forgotten: list[str] = []

    async def listener(tx, user_id):
        forgotten.append(user_id)

    h.bot.core.bus.subscribe("people.forget", listener)
    for command in ("!me name Mei", "!me tz Asia/Taipei", "!consent attributed", "!me lang zh-TW"):
        await h.reply_text(ALICE, command)
    await h.reply_text(BOB, "!me name Bob")
    assert "已刪除" in await h.reply_text(ALICE, "!forget me confirm")
    assert forgotten == [ALICE]
    badges = h.bot.core.plugins["badges"]
    async with h.bot.db.transaction() as tx:
        assert (await badges.store.profile(tx, ALICE)).is_empty
        assert await badges.consent_of(tx, ALICE, None) == "none"
        assert await badges.store.history(tx, ALICE) == []
        assert str(await h.bot.core.preferences.timezone(tx, ALICE)) == "UTC"
        assert await h.bot.core.preferences.language(tx, ALICE) == "en"
        assert (await badges.store.profile(tx, BOB)).name == "Bob"


async def test_forget_me_confirm_lets_everyone_read_the_person_before_anyone_erases(
    h: Harness,
) -> None:
    seen: list[tuple[str, str, object]] = []

    def phase(name: str):
        async def listener(tx, user_id):
            seen.append((name, (await h.bot.core.people.get(tx, user_id)).name, tx))

        return listener

    # Subscribed after the plugins: "people.forget" reaches these last, "people.forgetting" too.
    h.bot.core.bus.subscribe("people.forget", phase("forget"))
    h.bot.core.bus.subscribe("people.forgetting", phase("forgetting"))
    await h.reply_text(ALICE, "!me name Mei")
    await h.reply_text(ALICE, "!forget me confirm")
    assert [(name, badge) for name, badge, _ in seen] == [
        ("forgetting", "Mei"),
        ("forget", "alice"),
    ]
    assert seen[0][2] is seen[1][2]  # one transaction: erased together or not at all


async def test_retention_purges_session_consent_only_after_the_digest_plus_retention(
    h: Harness,
) -> None:
    badges = h.bot.core.plugins["badges"]
    async with h.bot.db.transaction() as tx:
        await h.bot.core.bus.emit(tx, "sessions.started", topic_id=1)
        await h.bot.core.bus.emit(tx, "sessions.started", topic_id=2)
    prompts = [s.event_id for s in await h.drain() if s.type == "m.room.message"]
    await h.react(ALICE, prompts[0], "✅")
    await h.react(ALICE, prompts[1], "👤")
    await h.reply_text(ALICE, "!consent none")
    h.clock.advance(days=1)
    await h.reply_text(ALICE, "!consent anonymous")
    async with h.bot.db.transaction() as tx:
        await h.bot.core.bus.emit(tx, "notes.closed", session_id=1)
    h.clock.advance(days=29)
    assert await badges.purge_expired() == 0  # 29 days after publication: nothing yet
    h.clock.advance(days=2)
    await badges.purge_expired()
    async with h.bot.db.transaction() as tx:
        history = await badges.store.history(tx, ALICE)
        assert await badges.store.session_choice(tx, ALICE, 1) is None
        assert (
            await badges.store.session_choice(tx, ALICE, 2) == "anonymous"
        )  # digest not published
        assert await badges.consent_of(tx, ALICE, None) == "anonymous"
    assert [(c.session_id, c.choice) for c in history] == [(2, "anonymous"), (None, "anonymous")]


async def test_retention_days_comes_from_the_privacy_section() -> None:
    h = await Harness.create(make_config(privacy={"retention_days": 2}), plugins={"badges": Badges})
    try:
        await h.reply_text(ALICE, "!consent none")
        await h.reply_text(ALICE, "!consent attributed")
        h.clock.advance(days=3)
        assert await h.bot.core.plugins["badges"].purge_expired() == 1
    finally:
        await h.close()


async def test_export_is_for_organizers_in_a_direct_chat(h: Harness) -> None:
    assert "Only organizers" in await h.reply_text(ALICE, "!export", room=DM)
    assert "direct chat" in await h.reply_text(ORGANIZER, "!export", room=LOBBY)


async def test_export_zip_holds_every_plugins_json_and_markdown(h: Harness) -> None:
    await h.reply_text(ALICE, "!me name Mei")
    await h.reply_text(ALICE, "!consent anonymous")
    sent = await h.say(ORGANIZER, "!export", room=DM)
    files = [s for s in sent if s.content.get("msgtype") == "m.file"]
    assert len(files) == 1 and files[0].room_id == DM
    assert files[0].content["info"]["mimetype"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(h.transport.uploads[files[0].content["url"]]))
    assert sorted(archive.namelist()) == ["README.md", "badges.json"]
    data = json.loads(archive.read("badges.json"))
    assert data["profiles"][0]["name"] == "Mei"
    assert data["default_consents"][0]["choice"] == "anonymous"
    assert data["consent_history"][0]["changed_at"].startswith("2026-11-28T09:00")
    readme = archive.read("README.md").decode()
    assert "## badges" in readme and "Mei" in readme


async def test_consent_history_keeps_the_time_of_each_change(h: Harness) -> None:
    await h.reply_text(ALICE, "!consent attributed")
    h.clock.advance(hours=2)
    await h.reply_text(ALICE, "!consent none")
    async with h.bot.db.transaction() as tx:
        history = await h.bot.core.plugins["badges"].store.history(tx, ALICE)
    assert [c.changed_at - history[0].changed_at for c in history] == [
        timedelta(0),
        timedelta(hours=2),
    ]


async def test_a_failing_plugin_export_does_not_lose_the_others(h: Harness) -> None:
    async def broken(tx):
        raise RuntimeError("boom")

    h.bot.core.plugins["core"].export = broken  # type: ignore[method-assign]
    await h.reply_text(ALICE, "!me name Mei")
    sent = await h.say(ORGANIZER, "!export", room=DM)
    url = next(s.content["url"] for s in sent if s.content.get("msgtype") == "m.file")
    archive = zipfile.ZipFile(io.BytesIO(h.transport.uploads[url]))
    assert "error" in json.loads(archive.read("core.json"))
    assert json.loads(archive.read("badges.json"))["profiles"][0]["name"] == "Mei"
