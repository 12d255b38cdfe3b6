"""Confidential reports: anonymous both ways, only from a direct chat, never stored or logged as text."""

from __future__ import annotations

import json
import logging

import pytest
from safety_support import SAFETY_ROOM, dm, safety_harness

from bot.config import ConfigError
from bot.testing.harness import LOBBY, SAFETY, Harness

ALICE = "@alice:test"
SECRET = "Someone kept filming me after I said no"


def everything(sent) -> str:
    return json.dumps([s.content for s in sent], ensure_ascii=False)


async def test_anonymous_report_reaches_the_safety_room_without_the_reporter(h: Harness) -> None:
    h.transport.display_names[ALICE] = "Alice Wong"
    sent = await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE))
    to_team = [s for s in sent if s.room_id == SAFETY_ROOM]
    assert len(to_team) == 1
    team = to_team[0].content
    assert "Report #1" in team["body"] and "(anonymous)" in team["body"]
    assert SECRET in team["body"]
    assert "alice" not in everything(to_team).lower()
    assert team["m.mentions"] == {
        "user_ids": [SAFETY]
    }  # the team is notified, the reporter never named
    receipt = [s for s in sent if s.room_id == dm(ALICE)]
    assert len(receipt) == 1
    assert "#1" in receipt[0].content["body"] and "anonymously" in receipt[0].content["body"]
    assert SECRET not in everything(receipt)  # the receipt never quotes the report back


async def test_named_report_shows_the_reporter_as_a_pill(h: Harness) -> None:
    h.transport.display_names[ALICE] = "Alice Wong"
    sent = await h.say(ALICE, f"!report --named {SECRET}", room=dm(ALICE))
    team = next(s for s in sent if s.room_id == SAFETY_ROOM).content
    assert "from Alice Wong" in team["body"]
    assert "https://matrix.to/#/@alice:test" in team["formatted_body"]
    assert "--named" not in team["body"]
    assert "with your name" in next(s for s in sent if s.room_id == dm(ALICE)).content["body"]


async def test_answer_is_relayed_to_the_reporter_without_naming_who_answered(h: Harness) -> None:
    h.transport.display_names[SAFETY] = "Sam Guardian"
    await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE))
    sent = await h.say(
        SAFETY,
        "!answer 1 Thank you. We spoke with them.\nCome to the info desk any time.",
        room=SAFETY_ROOM,
    )
    relay = [s for s in sent if s.room_id == dm(ALICE)]
    assert len(relay) == 1
    body = relay[0].content["body"]
    assert "The safety team answered your report #1" in body
    assert "We spoke with them." in body and "Come to the info desk any time." in body
    assert "Sam" not in everything(relay) and "@safe:test" not in everything(relay)
    confirm = [s for s in sent if s.room_id == SAFETY_ROOM]
    assert "Passed on to the person who sent report #1" in confirm[0].content["body"]
    assert "alice" not in everything(confirm).lower()


async def test_multi_line_report_keeps_its_lines_and_cannot_inject_markup(h: Harness) -> None:
    sent = await h.say(
        ALICE, "!report first line\n<b>bold</b> @room [link](https://evil.example)", room=dm(ALICE)
    )
    team = next(s for s in sent if s.room_id == SAFETY_ROOM).content
    assert "first line" in team["body"] and "<b>bold</b>" in team["body"]
    assert "<br" in team["formatted_body"]  # the line break survives in the HTML
    assert (
        "<b>bold" not in team["formatted_body"]
        and 'href="https://evil' not in team["formatted_body"]
    )
    assert "@room" not in team["body"]  # a word joiner breaks the room ping


async def test_report_in_a_public_room_is_removed_and_the_person_told_privately(h: Harness) -> None:
    sent = await h.say(ALICE, f"!report {SECRET}", room=LOBBY, event_id="$public1")
    assert h.transport.redactions == [(LOBBY, "$public1", None)]
    assert [s for s in sent if s.room_id in (LOBBY, SAFETY_ROOM)] == []
    assert len(sent) == 1  # one private notice, in a direct chat the bot opened
    private = sent[0]
    assert (private.room_id, ALICE) in h.transport.invites  # the bot's new direct chat with her
    assert (
        "removed your !report" in private.content["body"]
        and "direct chat" in private.content["body"]
    )
    assert SECRET not in everything(h.transport.sent)
    rows = await h.bot.db.read("SELECT count(*) AS n FROM safety_reports")
    assert rows[0]["n"] == 0


async def test_a_very_long_report_in_a_public_room_is_removed_too(h: Harness) -> None:
    long_text = SECRET + " " + "x" * 6000  # beyond [bot] max_command_length
    sent = await h.say(ALICE, f"!report {long_text}", room=LOBBY, event_id="$public-long")
    assert h.transport.redactions == [(LOBBY, "$public-long", None)]
    assert [s for s in sent if s.room_id == LOBBY] == []
    assert SECRET not in everything(h.transport.sent)


async def test_failed_redaction_still_tells_the_person_and_forwards_nothing(h: Harness) -> None:
    from bot.transport import Refused

    h.transport.failures.append(Refused("M_FORBIDDEN: not enough power"))
    sent = await h.say(ALICE, f"!report {SECRET}", room=LOBBY)
    assert h.transport.redactions == []
    assert any("direct chat" in s.content["body"] for s in sent)
    assert SECRET not in everything(h.transport.sent)


async def test_report_text_is_not_kept_in_any_table(h: Harness) -> None:
    await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE))
    await h.bot.outbox.flush()  # what the outbox does after a quiet second, or with the next event
    tables = await h.bot.db.read("SELECT name FROM sqlite_master WHERE type = 'table'")
    for table in tables:
        for row in await h.bot.db.read(f"SELECT * FROM {table['name']}"):
            assert all(SECRET not in str(v) for v in tuple(row)), table["name"]
    report = (await h.bot.db.read("SELECT * FROM safety_reports"))[0]
    assert set(report.keys()) == {
        "number",
        "reporter",
        "reply_room",
        "named",
        "created_at",
        "closed_at",
        "source_event_id",  # the id of the reporter's message (no text), to follow its deletion
    }


async def test_report_and_answer_texts_are_never_logged(h: Harness, caplog) -> None:
    # Everything at INFO, and the bot's own loggers at DEBUG (aiosqlite's DEBUG echoes SQL parameters,
    # outbox payloads included; production runs at INFO).
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="flipchart")
    await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE))
    await h.say(SAFETY, "!answer 1 a confidential answer", room=SAFETY_ROOM)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "report #1 forwarded" in logged
    assert SECRET not in logged and "confidential answer" not in logged and ALICE not in logged


async def test_empty_report_explains_what_to_write(h: Harness) -> None:
    reply = await h.reply_text(ALICE, "!report --named", room=dm(ALICE))
    assert "Tell me what happened after !report" in reply
    assert h.transport.messages(SAFETY_ROOM) == []


async def test_too_long_report_is_refused_with_the_limit_in_both_languages() -> None:
    h = await safety_harness(report_max_length=40)
    try:
        reply = await h.reply_text(ALICE, "!report " + "x" * 41, room=dm(ALICE))
        assert "too long (41 characters; at most 40)" in reply
        async with h.bot.db.transaction() as tx:
            await h.bot.core.preferences.set_language(tx, ALICE, "zh-TW")
        assert "回報太長了（41 個字元，上限 40）" in await h.reply_text(
            ALICE, "!report " + "x" * 41, room=dm(ALICE)
        )
        assert h.transport.messages(SAFETY_ROOM) == []
    finally:
        await h.close()


async def test_reports_per_hour_are_limited_per_person() -> None:
    h = await safety_harness(reports_per_hour=2)
    try:
        for i in range(2):
            assert "Thank you" in await h.reply_text(ALICE, f"!report thing {i}", room=dm(ALICE))
        reply = await h.reply_text(ALICE, "!report thing 3", room=dm(ALICE))
        assert "2 reports in the last hour" in reply and "safe" in reply
        assert "Thank you" in await h.reply_text(
            "@bob:test", "!report another person", room=dm("@bob:test")
        )
        h.clock.advance(minutes=61)
        assert "Thank you" in await h.reply_text(ALICE, "!report thing 3", room=dm(ALICE))
        assert len(h.transport.messages(SAFETY_ROOM)) == 4
    finally:
        await h.close()


async def test_without_a_safety_room_the_reporter_is_pointed_to_the_team() -> None:
    h = await safety_harness(safety_room=False)
    try:
        h.transport.display_names[SAFETY] = "Sam Guardian"
        reply = await h.reply_text(ALICE, f"!report {SECRET}", room=dm(ALICE))
        assert "no safety room" in reply and "Sam Guardian" in reply
        assert (await h.bot.db.read("SELECT count(*) AS n FROM safety_reports"))[0]["n"] == 0
    finally:
        await h.close()


async def test_closing_a_report_forgets_the_reporter(h: Harness) -> None:
    await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE))
    sent = await h.say(SAFETY, "!answer 1 --close We handled it.", room=SAFETY_ROOM)
    relay = next(s for s in sent if s.room_id == dm(ALICE)).content["body"]
    assert "We handled it." in relay and "closed report #1" in relay
    row = (await h.bot.db.read("SELECT reporter, reply_room, closed_at FROM safety_reports"))[0]
    assert row["reporter"] is None and row["reply_room"] is None and row["closed_at"] is not None
    assert "is closed" in await h.reply_text(SAFETY, "!answer 1 one more thing", room=SAFETY_ROOM)


async def test_answer_needs_text_or_close_and_a_known_number(h: Harness) -> None:
    await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE))
    assert "Write the answer after the number" in await h.reply_text(
        SAFETY, "!answer 1", room=SAFETY_ROOM
    )
    assert "There is no report #9" in await h.reply_text(
        SAFETY, "!answer 9 hello", room=SAFETY_ROOM
    )
    assert "not abc" in await h.reply_text(SAFETY, "!answer abc hello", room=SAFETY_ROOM)


async def test_too_long_answer_is_refused() -> None:
    h = await safety_harness(answer_max_length=10)
    try:
        await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE))
        assert "too long (11 characters; at most 10)" in await h.reply_text(
            SAFETY, "!answer 1 " + "y" * 11, room=SAFETY_ROOM
        )
        assert h.transport.messages(dm(ALICE))[-1].content["body"].startswith("Thank you")
    finally:
        await h.close()


async def test_answer_typed_in_a_public_room_is_removed_and_not_relayed(h: Harness) -> None:
    await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE))
    sent = await h.say(SAFETY, "!answer 1 we talked to Bob", room=LOBBY, event_id="$oops")
    assert (LOBBY, "$oops", None) in h.transport.redactions
    assert [s for s in sent if s.room_id in (LOBBY, dm(ALICE))] == []
    assert "only in the safety room" in sent[0].content["body"]


async def test_answer_never_goes_to_a_former_direct_chat_that_others_have_joined(
    h: Harness,
) -> None:
    await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE))
    h.transport.room(dm(ALICE), "@mallory:test")  # no longer a private chat
    sent = await h.say(SAFETY, "!answer 1 we are on it", room=SAFETY_ROOM)
    relay = [s for s in sent if "we are on it" in s.content["body"]]
    assert len(relay) == 1 and relay[0].room_id != dm(ALICE)
    assert (relay[0].room_id, ALICE) in h.transport.invites


async def test_answer_from_a_direct_chat_works(h: Harness) -> None:
    await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE))
    sent = await h.say(SAFETY, "!answer 1 noted", room=dm(SAFETY))
    assert any(s.room_id == dm(ALICE) and "noted" in s.content["body"] for s in sent)


async def test_reports_lists_open_reports_naming_only_named_reporters(h: Harness) -> None:
    h.transport.display_names["@bob:test"] = "Bob Chen"
    assert "No open reports" in await h.reply_text(SAFETY, "!reports", room=SAFETY_ROOM)
    await h.say(ALICE, "!report one", room=dm(ALICE))
    await h.say("@bob:test", "!report --named two", room=dm("@bob:test"))
    await h.say(ALICE, "!report three", room=dm(ALICE))
    await h.say(SAFETY, "!answer 3 --close", room=SAFETY_ROOM)
    reply = await h.reply_text(SAFETY, "!reports", room=SAFETY_ROOM)
    assert "Open reports (2)" in reply
    assert (
        "#1 — 2026-11-28 09:00, anonymous" in reply
        and "#2 — 2026-11-28 09:00, from Bob Chen" in reply
    )
    assert "#3" not in reply and "alice" not in reply.lower()
    assert "only in the safety room" in await h.reply_text(SAFETY, "!reports", room=LOBBY)


async def test_forget_anonymises_the_reporter_and_answers_can_no_longer_reach_them(
    h: Harness,
) -> None:
    await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE))
    async with h.bot.db.transaction() as tx:
        await h.bot.core.bus.emit(tx, "people.forget", user_id=ALICE)
    rows = await h.bot.db.read("SELECT reporter, reply_room FROM safety_reports")
    assert [tuple(r) for r in rows] == [(None, None)]
    assert "asked to be forgotten" in await h.reply_text(
        SAFETY, "!answer 1 hello", room=SAFETY_ROOM
    )
    assert "Report #1 is closed" in await h.reply_text(
        SAFETY, "!answer 1 --close", room=SAFETY_ROOM
    )


async def test_export_gives_counts_and_never_who_reported(h: Harness) -> None:
    await h.say(ALICE, "!report one", room=dm(ALICE))
    await h.say(ALICE, "!report --named two", room=dm(ALICE))
    await h.say(SAFETY, "!answer 1 --close", room=SAFETY_ROOM)
    async with h.bot.db.transaction() as tx:
        exported = await h.bot.core.plugins["safety"].export(tx)
    assert exported == {"reports": {"total": 2, "open": 1, "named": 1}}


async def test_nonsense_limits_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="safety.report_max_length"):
        await safety_harness(report_max_length=0)


async def test_open_reports_forget_their_reporter_after_the_retention_days() -> None:
    h = await safety_harness(forget_reporters_after_days=30)
    try:
        await h.say(ALICE, "!report old", room=dm(ALICE))
        h.clock.advance(days=29)
        await h.say("@bob:test", "!report newer", room=dm("@bob:test"))
        plugin = h.bot.core.plugins["safety"]
        await plugin.forget_old_reporters()
        assert [
            r["reporter"]
            for r in await h.bot.db.read("SELECT reporter FROM safety_reports ORDER BY number")
        ] == [ALICE, "@bob:test"]
        h.clock.advance(days=1, minutes=1)
        await plugin.forget_old_reporters()
        rows = await h.bot.db.read(
            "SELECT reporter, reply_room, closed_at FROM safety_reports ORDER BY number"
        )
        assert [tuple(r) for r in rows] == [
            (None, None, None),
            ("@bob:test", dm("@bob:test"), None),
        ]
        assert "safety.retention" in h.bot.scheduler.job_ids()
    finally:
        await h.close()


async def test_a_report_the_reporter_deletes_leaves_the_safety_room_too(h: Harness) -> None:
    sent = await h.say(ALICE, f"!report {SECRET}", room=dm(ALICE), event_id="$report")
    copy = next(s for s in sent if s.room_id == SAFETY_ROOM)
    told = await h.redact(ALICE, "$report", room=dm(ALICE))
    assert (SAFETY_ROOM, copy.event_id, None) in h.transport.redactions
    notice = [s for s in told if s.room_id == SAFETY_ROOM and s.type == "m.room.message"]
    assert len(notice) == 1 and "#1 was deleted" in notice[0].content["body"]
    assert SECRET not in everything(told) and "alice" not in everything(told).lower()
    assert await h.redact(ALICE, "$report", room=dm(ALICE)) == []  # once only
