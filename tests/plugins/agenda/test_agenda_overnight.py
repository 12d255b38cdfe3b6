"""Slots past midnight: `!slot add 2026-12-01 22:30-00:30` ends on the next day, everywhere it shows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from agenda_support import agenda_harness, agenda_of, ics_file, organize, uids

from bot.arguments import TimeRange
from bot.config import ConfigError, EventConfig, load_section
from bot.errors import UsageError, UserError
from bot.testing.harness import ORGANIZER, Harness, make_config
from plugins.agenda import Agenda
from plugins.agenda.grid import slot_span, wall_length
from plugins.topics import Topics

ALICE = "@alice:test"
NIGHT = "!slot add 2026-12-01 22:30-00:30 Night owls"


async def only_slot(h: Harness):
    async with h.bot.db.transaction() as tx:
        (slot,) = await agenda_of(h).slots(tx)
    return slot


async def set_zone(h: Harness, user_id: str, zone: str) -> None:
    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_timezone(tx, user_id, zone)


def bodies(sent) -> list[str]:
    return [s.content["body"] for s in sent]


def headings(sent) -> list[str]:
    """The days' headings, in order (small days share one message)."""
    return [line for body in bodies(sent) for line in body.splitlines() if line.startswith("Agenda ")]


# --- adding ---


async def test_an_end_before_the_start_is_on_the_next_day(h):
    (reply,) = await organize(h, NIGHT)
    assert "S1 2026-12-01 22:30–00:30 (+1) UTC · Night owls" in reply
    slot = await only_slot(h)
    assert slot.starts_at == datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
    assert slot.ends_at == datetime(2026, 12, 2, 0, 30, tzinfo=UTC)


async def test_a_night_slot_is_read_in_the_event_zone():
    h = await agenda_harness(core={"event": EventConfig(timezone="Asia/Taipei")})
    try:
        await organize(h, NIGHT)
        slot = await only_slot(h)
        assert slot.starts_at.isoformat() == "2026-12-01T14:30:00+00:00"
        assert slot.ends_at.isoformat() == "2026-12-01T16:30:00+00:00"
        assert "2026-12-01 22:30–00:30 (+1) Asia/Taipei" in await h.reply_text(ALICE, "!slots")
    finally:
        await h.close()


async def test_a_night_longer_than_twelve_hours_is_refused_saying_what_to_do(h):
    reply = await h.reply_text(ORGANIZER, "!slot add 2026-12-01 22:00-10:30")
    assert "would end on the next day" in reply and "at most 12 hours" in reply
    assert "type 10:30-22:00" in reply and "add two slots" in reply
    async with h.bot.db.transaction() as tx:
        assert await agenda_of(h).slots(tx) == []
    # Exactly twelve hours is still a night.
    assert "22:00–10:00 (+1)" in (await organize(h, "!slot add 2026-12-01 22:00-10:00"))[0]


async def test_the_too_long_refusal_is_translated():
    h = await agenda_harness()
    try:
        async with h.bot.db.transaction() as tx:
            await h.bot.core.preferences.set_language(tx, ORGANIZER, "zh-TW")
        reply = await h.reply_text(ORGANIZER, "!slot add 2026-12-01 11:00-10:00")
        assert "隔天" in reply and "12 小時" in reply and "10:00-11:00" in reply
    finally:
        await h.close()


async def test_a_slot_that_starts_and_ends_at_the_same_time_is_refused(h):
    reply = await h.reply_text(ORGANIZER, "!slot add 2026-12-01 10:00-10:00")
    assert "starts and ends at the same time" in reply and "22:30-00:30" in reply
    async with h.bot.db.transaction() as tx:
        assert await agenda_of(h).slots(tx) == []


# --- overlaps ---


async def test_a_night_slot_overlaps_a_slot_early_the_next_morning(h):
    await organize(h, NIGHT)
    assert "overlaps S1" in await h.reply_text(ORGANIZER, "!slot add 2026-12-02 00:00-01:00")
    assert "S2" in (await organize(h, "!slot add 2026-12-02 00:30-01:30"))[0]  # touching is fine


async def test_a_night_slot_is_refused_over_a_slot_already_there_the_next_morning(h):
    await organize(h, "!slot add 2026-12-02 00:15-01:00 Early")
    assert "overlaps S1" in await h.reply_text(ORGANIZER, NIGHT)


# --- showing ---


async def test_agenda_and_slots_show_the_next_day_end(h):
    await h.say(ALICE, "!propose Late-night civic hacking")
    await organize(h, NIGHT, "!slot add 2026-12-02 09:00-10:00", "!location add Hall")
    await organize(h, "!schedule 1 S1 Hall")
    slots = await h.reply_text(ALICE, "!slots")
    assert "S1 2026-12-01 22:30–00:30 (+1) UTC · Night owls — 1 session" in slots
    (night,) = await h.say(ALICE, "!agenda 2026-12-01")
    body = night.content["body"].splitlines()
    assert body[0] == "Agenda 2026-12-01 — times in UTC"
    assert "S1 22:30–00:30 (+1) Night owls · Hall · #1 Late-night civic hacking (0/8)" in body
    assert "<b>S1</b> 22:30–00:30 (+1)" in night.content["formatted_body"]
    # The slot belongs to the evening it starts on, not to the next day.
    assert "S1" not in await h.reply_text(ALICE, "!agenda 2026-12-02")


async def test_after_midnight_the_default_agenda_keeps_the_night_still_running(h):
    await organize(h, NIGHT, "!slot add 2026-12-02 09:00-10:00", "!slot add 2026-11-30 10:00-11:00")
    h.clock.set(datetime(2026, 12, 2, 0, 10, tzinfo=UTC))
    shown = headings(await h.say(ALICE, "!agenda"))
    assert shown == ["Agenda 2026-12-01 — times in UTC", "Agenda 2026-12-02 — times in UTC"]
    h.clock.set(datetime(2026, 12, 2, 0, 30, tzinfo=UTC))  # the night is over
    assert headings(await h.say(ALICE, "!agenda")) == ["Agenda 2026-12-02 — times in UTC"]


async def test_a_reader_whose_zone_puts_the_end_on_the_next_day_sees_plus_one(h):
    await organize(h, "!slot add 2026-11-28 10:00-18:00 Hackathon")
    await set_zone(h, ALICE, "Asia/Taipei")
    assert "S1 2026-11-28 18:00–02:00 (+1) Asia/Taipei" in await h.reply_text(ALICE, "!slots")
    assert "S1 18:00–02:00 (+1) Hackathon" in await h.reply_text(ALICE, "!agenda")
    assert "10:00–18:00 UTC" in await h.reply_text(ORGANIZER, "!slots")


async def test_a_reader_whose_zone_keeps_a_night_slot_on_one_day_sees_no_plus_one(h):
    await organize(h, NIGHT)
    await set_zone(h, ALICE, "America/New_York")
    reply = await h.reply_text(ALICE, "!slots")
    assert "S1 2026-12-01 17:30–19:30 America/New_York" in reply and "(+1)" not in reply


# --- calendar ---


async def test_the_calendar_ends_a_night_session_on_the_next_day(h):
    await h.say(ALICE, "!propose Night owls meetup")
    await organize(h, NIGHT, "!location add Hall", "!schedule 1 S1 Hall")
    event = uids(await ics_file(h, ALICE))["topic-1@open-space"]
    assert event["start"].isoformat() == "2026-12-01T22:30:00+00:00"
    assert event["end"].isoformat() == "2026-12-02T00:30:00+00:00"


# --- config seeds ---

NIGHT_SEED = {"date": "2026-12-01", "start": "22:30", "end": "00:30", "label": "Night owls"}


async def test_config_seeds_a_night_slot_once(tmp_path):
    config = make_config(tmp_path, agenda={"slots": [NIGHT_SEED]})
    for _ in range(2):  # a restart adds nothing twice
        h = await Harness.create(config, plugins={"topics": Topics, "agenda": Agenda})
        try:
            slot = await only_slot(h)
        finally:
            await h.close()
    assert (slot.label, slot.ends_at) == ("Night owls", datetime(2026, 12, 2, 0, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [("22:00", "10:30", "at most 12 hours"), ("10:00", "10:00", "must differ from the start")],
)
def test_too_long_or_empty_seeds_are_config_errors(tmp_path, start, end, words):
    bad = {"slots": [{"date": "2026-12-01", "start": start, "end": end}]}
    with pytest.raises(ConfigError) as err:
        load_section(Agenda.Config, bad, "agenda", tmp_path / "x.toml")
    assert words in str(err.value)


# --- parsing ---


def test_slot_times_are_read_in_either_order():
    assert TimeRange("time", overnight=True).convert("22:30-00:30") == (time(22, 30), time(0, 30))
    assert TimeRange("time", overnight=True).convert("9:05–9:50") == (time(9, 5), time(9, 50))
    for token in ("25:00-01:00", "22:30", "22-01", "22:60-01:00"):
        with pytest.raises(UsageError):
            TimeRange("time", overnight=True).convert(token)


def test_wall_length_counts_past_midnight():
    assert wall_length(time(22, 30), time(0, 30)) == timedelta(hours=2)
    assert wall_length(time(10, 0), time(10, 45)) == timedelta(minutes=45)


def test_the_limit_is_on_the_wall_clock_across_a_daylight_saving_night():
    # Berlin's clocks go back on 2026-10-25: 20:00-08:00 is 12 hours on the wall, 13 in real time.
    start, end = slot_span(date(2026, 10, 24), time(20, 0), time(8, 0), ZoneInfo("Europe/Berlin"))
    assert end - start == timedelta(hours=13)
    with pytest.raises(UserError) as err:
        slot_span(date(2026, 10, 24), time(20, 0), time(8, 1), ZoneInfo("Europe/Berlin"))
    assert err.value.text.key == "agenda.overnight_too_long"
