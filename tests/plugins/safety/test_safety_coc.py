"""!coc: the organizers' file or the built-in text, the safety team as pills, and the pointer in !help."""

from __future__ import annotations

from safety_support import safety_harness

from bot.config import RoomsConfig
from bot.testing.harness import SAFETY, Harness

ALICE = "@alice:test"


async def test_coc_shows_the_default_text_and_the_team_as_pills_without_pinging_them(
    h: Harness,
) -> None:
    h.transport.display_names[SAFETY] = "Sam Guardian"
    sent = await h.say(ALICE, "!coc")
    content = sent[0].content
    assert "Code of conduct" in content["body"] and "No harassment" in content["body"]
    assert "the safety team: Sam Guardian" in content["body"]
    assert 'href="https://matrix.to/#/@safe:test"' in content["formatted_body"]
    assert "!safety:test" in content["body"]  # the safety room
    assert "!report" in content["body"] and "--named" in content["body"]
    assert content["m.mentions"] == {}


async def test_coc_default_in_traditional_chinese(h: Harness) -> None:
    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_language(tx, ALICE, "zh-TW")
    reply = await h.reply_text(ALICE, "!coc")
    assert "行為準則" in reply and "安心小組成員" in reply and "禁止任何騷擾" in reply


async def test_coc_reads_the_file_next_to_the_config(tmp_path) -> None:
    (tmp_path / "rules.md").write_text(
        "# Our rules\n\nBe **excellent** to each other.\n", encoding="utf-8"
    )
    h = await safety_harness(path=tmp_path / "flipchart.toml", coc_file="rules.md")
    try:
        sent = await h.say(ALICE, "!coc")
        assert "Be excellent to each other." in sent[0].content["body"]
        assert "<strong>excellent</strong>" in sent[0].content["formatted_body"]
        assert "No harassment" not in sent[0].content["body"]
        (tmp_path / "rules.md").write_text("Edited rules.", encoding="utf-8")
        assert "Edited rules." in await h.reply_text(ALICE, "!coc")  # read at every !coc
    finally:
        await h.close()


async def test_coc_file_per_language_falls_back_to_english(tmp_path) -> None:
    (tmp_path / "coc.en.md").write_text("English rules.", encoding="utf-8")
    h = await safety_harness(path=tmp_path / "flipchart.toml", coc_file="coc.{lang}.md")
    try:
        async with h.bot.db.transaction() as tx:
            await h.bot.core.preferences.set_language(tx, "@bob:test", "zh-TW")
        assert "English rules." in await h.reply_text("@bob:test", "!coc")
        (tmp_path / "coc.zh-TW.md").write_text("中文守則。", encoding="utf-8")
        assert "中文守則。" in await h.reply_text("@bob:test", "!coc")
        assert "English rules." in await h.reply_text(ALICE, "!coc")
    finally:
        await h.close()


async def test_missing_coc_file_falls_back_to_the_built_in_text_and_logs_it(
    tmp_path, caplog
) -> None:
    h = await safety_harness(path=tmp_path / "flipchart.toml", coc_file="nowhere.md")
    try:
        assert "coc_file 'nowhere.md' not found" in caplog.text
        assert "No harassment" in await h.reply_text(ALICE, "!coc")
    finally:
        await h.close()


async def test_help_points_to_the_code_of_conduct(h: Harness) -> None:
    reply = await h.reply_text(ALICE, "!help")
    assert reply.rstrip().endswith("Code of conduct and whom to contact: !coc")
    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_language(tx, ALICE, "zh-TW")
    assert "行為準則與聯絡人：!coc" in await h.reply_text(ALICE, "!help")


async def test_messages_exist_in_both_languages_with_the_same_placeholders(h: Harness) -> None:
    catalogue = h.bot.catalogue
    mine = [k for k in catalogue.keys() if k.startswith("safety.")]
    assert mine
    assert [m for m in catalogue.missing() if m[0] in mine] == []
    assert [k for k in catalogue.placeholders_mismatch() if k in mine] == []


async def test_coc_without_a_safety_team_points_to_the_organizers() -> None:
    from bot.config import RolesConfig
    from bot.testing.harness import LOBBY, ORGANIZER, Harness, make_config
    from plugins.safety import Safety

    config = make_config(roles=RolesConfig(organizers=(ORGANIZER,)), rooms=RoomsConfig(lobby=LOBBY))
    h = await Harness.create(config, plugins={"safety": Safety})
    try:
        reply = await h.reply_text(ALICE, "!coc")
        assert "No safety team is named for this event yet; please talk to an organizer." in reply
        assert "safety team's room" not in reply
    finally:
        await h.close()
