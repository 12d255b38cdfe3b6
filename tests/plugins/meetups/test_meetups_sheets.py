"""Sign-up sheets: opening with a time and a cap, joining, the waitlist (core roster), leaving, cancelling."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from meetups_support import meetups_harness

from bot.config import ConfigError
from bot.errors import UsageError
from bot.testing.harness import LOBBY, ORGANIZER, Harness
from plugins.meetups.request import next_occurrence, parse_request

ALICE, BOB, CAROL, DAVE = "@alice:test", "@bob:test", "@carol:test", "@dave:test"


@pytest.mark.parametrize(
    ("text", "title", "at", "cap"),
    [
        ("Dinner at Joe's at 19:30 cap 6", "Dinner at Joe's", time(19, 30), 6),
        ("Dinner cap 6 at 7:05", "Dinner", time(7, 5), 6),
        ("Dinner at Joe's", "Dinner at Joe's", None, None),
        ("Night market walk cap 12", "Night market walk", None, 12),
        ("Walk cap 2 cap 3", "Walk cap 2", None, 3),
        ("at 19:00", "", time(19, 0), None),
        ("夜市晚餐 at 18:30", "夜市晚餐", time(18, 30), None),
    ],
)
def test_time_and_cap_are_taken_from_the_end_of_the_title(text, title, at, cap) -> None:
    request = parse_request(text, max_cap=500)
    assert (request.title, request.at, request.cap) == (title, at, cap)


@pytest.mark.parametrize(
    "text", ["Dinner at 25:00", "Dinner at 19:75", "Dinner cap 0", "Dinner cap 501"]
)
def test_a_wrong_time_or_cap_is_refused(text) -> None:
    with pytest.raises(UsageError):
        parse_request(text, max_cap=500)


def test_the_time_is_the_next_one_on_the_clock() -> None:
    now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)  # 17:00 in Taipei
    taipei = ZoneInfo("Asia/Taipei")
    assert next_occurrence(time(19, 30), taipei, now) == datetime(2026, 11, 28, 11, 30, tzinfo=UTC)
    assert next_occurrence(time(8, 0), taipei, now) == datetime(2026, 11, 29, 0, 0, tzinfo=UTC)
    assert next_occurrence(time(17, 0), taipei, now) == datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


async def test_opening_a_sheet_shows_its_id_time_and_cap_and_signs_up_the_opener(
    h: Harness,
) -> None:
    reply = await h.reply_text(ALICE, "!meetup Dinner at the night market at 19:30 cap 6")
    assert "Meetup #1 “Dinner at the night market” is open — at 19:30, up to 6 people." in reply
    assert "!meetup join 1" in reply
    rows = await h.bot.db.read("SELECT roster, user_id, seated FROM core_roster")
    assert [tuple(r) for r in rows] == [("meetup:1", ALICE, 1)]
    assert "meetups.remind:1" in h.bot.scheduler.job_ids()


async def test_the_time_is_read_in_the_openers_time_zone(h: Harness) -> None:
    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_timezone(tx, ALICE, "Asia/Taipei")
    await h.say(ALICE, "!meetup Dinner at 19:30")
    async with h.bot.db.transaction() as tx:
        exported = await h.bot.core.plugins["meetups"].export(tx)
    assert exported["meetups"][0]["starts_at"] == "2030-06-01T11:30:00+00:00"
    assert "at 11:30" in await h.reply_text(
        BOB, "!meetups"
    )  # Bob reads it in the event's zone (UTC)


async def test_cap_and_waitlist_with_promotion_on_leave(h: Harness) -> None:
    await h.say(ALICE, "!meetup Dinner cap 2")
    assert "You are signed up for meetup #1 “Dinner” (2/2, full)." in await h.reply_text(
        BOB, "!meetup join 1"
    )
    assert "number 1 on the waitlist" in await h.reply_text(CAROL, "!meetup join #1")
    assert "number 2 on the waitlist" in await h.reply_text(DAVE, "!meetup join 1")
    assert "already on the waitlist" in await h.reply_text(CAROL, "!meetup join 1")
    assert "already signed up" in await h.reply_text(BOB, "!meetup join 1")
    assert "2/2, full, 2 waiting" in await h.reply_text(DAVE, "!meetups")
    sent = await h.say(BOB, "!meetup leave 1")
    assert any(s.room_id == LOBBY and "You left meetup #1" in s.content["body"] for s in sent)
    told = [s for s in sent if s.room_id != LOBBY]
    assert (
        len(told) == 1 and "you are now signed up for meetup #1 “Dinner”" in told[0].content["body"]
    )
    assert (told[0].room_id, CAROL) in h.transport.invites  # Carol's direct chat
    rows = await h.bot.db.read(
        "SELECT user_id, seated FROM core_roster WHERE roster = 'meetup:1' ORDER BY seq"
    )
    assert [tuple(r) for r in rows] == [(ALICE, 1), (CAROL, 1), (DAVE, 0)]
    assert "not signed up for meetup #1" in await h.reply_text(BOB, "!meetup leave 1")


async def test_a_sheet_without_cap_never_fills(h: Harness) -> None:
    await h.say(ALICE, "!meetup Karaoke")
    for i in range(5):
        assert "You are signed up" in await h.reply_text(f"@p{i}:test", "!meetup join 1")
    assert "#1 Karaoke — no time set — 6 signed up" in await h.reply_text(BOB, "!meetups")


async def test_listing_shows_open_sheets_soonest_first(h: Harness) -> None:
    assert "No meetups are open" in await h.reply_text(BOB, "!meetups")
    await h.say(ALICE, "!meetup Late dinner at 21:00 cap 4")
    await h.say(BOB, "!meetup Coffee at 10:00")
    await h.say(CAROL, "!meetup Board games")
    await h.say(DAVE, "!meetup Breakfast at 08:00")  # tomorrow: 09:00 UTC has passed
    reply = await h.reply_text(BOB, "!meetups")
    lines = [line for line in reply.splitlines() if line.startswith("•")]
    assert lines == [
        "• #2 Coffee — at 10:00 — 1 signed up",
        "• #1 Late dinner — at 21:00 — 1/4",
        "• #4 Breakfast — at 2030-06-02 08:00 — 1 signed up",
        "• #3 Board games — no time set — 1 signed up",
    ]
    h.clock.advance(hours=2)  # Coffee is past: no longer listed, no longer joinable
    assert "#2" not in await h.reply_text(BOB, "!meetups")
    assert "no longer open" in await h.reply_text(CAROL, "!meetup join 2")


async def test_max_open_per_person_counts_only_open_sheets(h: Harness) -> None:
    for title in ("One at 10:00", "Two", "Three"):
        assert "is open" in await h.reply_text(ALICE, f"!meetup {title}")
    reply = await h.reply_text(ALICE, "!meetup Four")
    assert "already have 3 meetups open" in reply and "!meetup cancel <id>" in reply
    assert "is open" in await h.reply_text(BOB, "!meetup Bob's own")  # per person
    h.clock.advance(hours=1, minutes=1)  # "One" at 10:00 has passed
    assert "Meetup #5 “Four” is open" in await h.reply_text(ALICE, "!meetup Four")
    await h.say(ALICE, "!meetup cancel 2")
    assert "is open" in await h.reply_text(ALICE, "!meetup Five")


async def test_limits_come_from_the_config_and_are_translated() -> None:
    h = await meetups_harness(max_open_per_person=1, title_max_length=10, max_cap=20)
    try:
        assert "too long (11 characters; at most 10)" in await h.reply_text(
            ALICE, "!meetup Hello world at 19:00"
        )
        assert "from 1 to 20; you wrote 21" in await h.reply_text(ALICE, "!meetup Dinner cap 21")
        await h.say(ALICE, "!meetup Dinner")
        assert "already have 1 meetup open" in await h.reply_text(ALICE, "!meetup Lunch")
        async with h.bot.db.transaction() as tx:
            await h.bot.core.preferences.set_language(tx, ALICE, "zh-TW")
        assert "標題太長了（11 個字元，上限 10）" in await h.reply_text(
            ALICE, "!meetup Hello world"
        )
        assert "您已經開了 1 個揪團" in await h.reply_text(ALICE, "!meetup Lunch")
    finally:
        await h.close()


async def test_mistakes_get_a_clear_answer(h: Harness) -> None:
    assert "Give the meetup a title" in await h.reply_text(ALICE, "!meetup cap 3")
    assert "Usage: !meetup <title> [at HH:MM] [cap <n>]" in await h.reply_text(ALICE, "!meetup")
    assert "There is no meetup #7" in await h.reply_text(ALICE, "!meetup join 7")
    assert "not abc" in await h.reply_text(ALICE, "!meetup leave abc")
    assert "in a shared room" in await h.reply_text(ALICE, "!meetup Dinner", room="!dm-alice:test")


async def test_cancel_is_for_the_opener_or_an_organizer_and_tells_those_signed_up(
    h: Harness,
) -> None:
    await h.say(ALICE, "!meetup Dinner at 19:00")
    await h.say(BOB, "!meetup join 1")
    assert "Only the person who opened meetup #1" in await h.reply_text(BOB, "!meetup cancel 1")
    sent = await h.say(ORGANIZER, "!meetup cancel 1", room="!elsewhere:test")
    notice = next(s for s in sent if s.room_id == LOBBY).content
    assert "Meetup #1 “Dinner” was cancelled." in notice["body"]
    assert notice["m.mentions"] == {"user_ids": sorted([ALICE, BOB])}
    assert "is cancelled" in next(s for s in sent if s.room_id == "!elsewhere:test").content["body"]
    assert "meetups.remind:1" not in h.bot.scheduler.job_ids()
    assert await h.bot.db.read("SELECT * FROM core_roster") == []
    assert "no longer open" in await h.reply_text(BOB, "!meetup join 1")


async def test_forget_takes_a_person_off_every_sheet_and_promotes(h: Harness) -> None:
    await h.say(ALICE, "!meetup Dinner cap 1")
    await h.say(BOB, "!meetup join 1")
    async with h.bot.db.transaction() as tx:
        await h.bot.core.bus.emit(tx, "people.forget", user_id=ALICE)
    told = await h.drain()
    assert len(told) == 1 and "you are now signed up for meetup #1" in told[0].content["body"]
    assert (told[0].room_id, BOB) in h.transport.invites
    async with h.bot.db.transaction() as tx:
        exported = await h.bot.core.plugins["meetups"].export(tx)
    assert exported["meetups"][0]["creator"] is None
    assert exported["meetups"][0]["signed_up"] == [BOB]
    assert ALICE not in str(exported)


async def test_export_lists_every_sheet_with_its_people(h: Harness) -> None:
    await h.say(ALICE, "!meetup Dinner at 19:00 cap 1")
    await h.say(BOB, "!meetup join 1")
    await h.say(BOB, "!meetup Walk")
    await h.say(BOB, "!meetup cancel 2")
    async with h.bot.db.transaction() as tx:
        exported = await h.bot.core.plugins["meetups"].export(tx)
    assert exported == {
        "meetups": [
            {
                "id": 1,
                "title": "Dinner",
                "creator": ALICE,
                "room_id": LOBBY,
                "starts_at": "2030-06-01T19:00:00+00:00",
                "cap": 1,
                "cancelled": False,
                "reminded": False,
                "signed_up": [ALICE],
                "waitlist": [BOB],
            },
            {
                "id": 2,
                "title": "Walk",
                "creator": BOB,
                "room_id": LOBBY,
                "starts_at": None,
                "cap": None,
                "cancelled": True,
                "reminded": False,
                "signed_up": [],
                "waitlist": [],
            },
        ]
    }


async def test_messages_exist_in_both_languages_with_the_same_placeholders(h: Harness) -> None:
    catalogue = h.bot.catalogue
    mine = [k for k in catalogue.keys() if k.startswith("meetups.")]
    assert len(mine) > 20
    assert [m for m in catalogue.missing() if m[0] in mine] == []
    assert [k for k in catalogue.placeholders_mismatch() if k in mine] == []


@pytest.mark.parametrize(
    "section", [{"max_cap": 0}, {"title_max_length": 0}, {"remind_minutes_before": -5}]
)
async def test_nonsense_limits_are_config_errors(section) -> None:
    with pytest.raises(ConfigError, match=f"meetups.{next(iter(section))}"):
        await meetups_harness(**section)


async def test_titles_cannot_inject_markup_or_ping_the_room(h: Harness) -> None:
    await h.say(ALICE, "!meetup **Free** [beer](https://evil.example) @room at 19:00")
    sent = await h.say(BOB, "!meetups")
    content = sent[0].content
    assert "**Free** [beer](https://evil.example)" in content["body"]
    assert (
        "<strong>Free" not in content["formatted_body"]
        and 'href="https://evil' not in content["formatted_body"]
    )
    assert "@room" not in content["body"]
