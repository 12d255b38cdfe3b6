"""Who may change the grid and schedule what; refusals; topics leaving; seeding from the config."""

from __future__ import annotations

import pytest
from agenda_support import agenda_of, organize

from bot.testing.harness import ORGANIZER, Harness, make_config
from plugins.agenda import Agenda
from plugins.topics import Topics

ALICE, BOB = "@alice:test", "@bob:test"


def record(h: Harness, name: str) -> list[dict]:
    seen: list[dict] = []

    async def listener(tx, **payload):
        seen.append(payload)

    h.bot.core.bus.subscribe(name, listener)
    return seen


async def state_of(h: Harness, topic_id: int) -> str:
    async with h.bot.db.transaction() as tx:
        return (await h.bot.core.plugins["topics"].require(tx, topic_id)).state


async def booking_of(h: Harness, topic_id: int):
    async with h.bot.db.transaction() as tx:
        return await agenda_of(h).booking(tx, topic_id)


async def grid(h: Harness) -> None:
    await organize(
        h,
        "!slot add 2026-11-28 10:00-10:45 Morning",
        "!slot add 2026-11-28 11:00-11:45",
        "!location add Room A cap 20",
        "!location add Garden",
    )


@pytest.mark.parametrize(
    "command",
    [
        "!slot add 2026-11-28 10:00-10:45",
        "!slot remove S1",
        "!location add Room B",
        "!location remove Room A",
        "!unschedule 1",
        "!merge 1 2",
    ],
)
async def test_organizer_commands_refuse_participants(h, command):
    await h.say(ALICE, "!propose One")
    await h.say(ALICE, "!propose Two")
    await grid(h)
    await organize(h, "!schedule 1 S1 Room A")
    reply = await h.reply_text(ALICE, command)
    assert reply.startswith("Only organizers may use")
    assert await booking_of(h, 1) is not None
    async with h.bot.db.transaction() as tx:
        assert len(await agenda_of(h).slots(tx)) == 2
        assert len(await agenda_of(h).store.locations(tx)) == 2


async def test_a_participant_may_not_schedule_someone_elses_topic(h):
    await h.say(BOB, "!propose Bob's")
    await grid(h)
    assert "only your own topics" in await h.reply_text(ALICE, "!schedule 1 S1 Garden")
    assert await booking_of(h, 1) is None


async def test_a_proposer_may_not_move_a_booked_topic_but_an_organizer_may(h):
    moved = record(h, "agenda.scheduled")
    await h.say(ALICE, "!propose Mine")
    await grid(h)
    assert "on the agenda" in await h.reply_text(ALICE, "!schedule 1 S1 Garden")
    assert "only an organizer may move it" in await h.reply_text(ALICE, "!schedule 1 S2 Garden")
    assert "moved to S2" in await h.reply_text(ORGANIZER, "!schedule 1 S2 Room A")
    booking = await booking_of(h, 1)
    assert (booking.slot.code, booking.location.name) == ("S2", "Room A")
    assert moved == [{"topic_id": 1}, {"topic_id": 1}]


async def test_a_taken_cell_is_refused_even_for_organizers_naming_the_free_cells(h):
    for title in ("One", "Two", "Three"):
        await h.say(ALICE, f"!propose {title}")
    await grid(h)
    await organize(h, "!schedule 1 S1 Room A", "!schedule 2 S1 Garden")
    reply = await h.reply_text(ORGANIZER, "!schedule 3 S1 Garden")
    assert "taken by #2" in reply and "Free in S1: none" in reply
    assert "Every location of S1 is taken" in await h.reply_text(ORGANIZER, "!schedule 3 S1")
    assert "already in S1, Room A" in await h.reply_text(ORGANIZER, "!schedule 1 S1 Room A")


async def test_unknown_slots_and_locations_are_named_in_the_refusal(h):
    await h.say(ALICE, "!propose One")
    await grid(h)
    assert "There is no slot S9" in await h.reply_text(ALICE, "!schedule 1 S9 Garden")
    reply = await h.reply_text(ALICE, "!schedule 1 S1 Moon base")
    assert "There is no location Moon base" in reply and "Garden" in reply


async def test_an_unknown_location_after_a_label_of_several_words_is_named_as_typed(h):
    await h.say(ALICE, "!propose One")
    await grid(h)
    await h.say(ORGANIZER, "!slot add 2026-11-28 14:00-14:45 Late night")
    reply = await h.reply_text(ALICE, "!schedule 1 Late night Moon base")
    assert "There is no location Moon base." in reply, reply


async def test_withdrawn_and_merged_topics_cannot_be_scheduled(h):
    for title in ("One", "Two", "Three"):
        await h.say(ALICE, f"!propose {title}")
    await grid(h)
    await h.say(ALICE, "!withdraw 1")
    await organize(h, "!merge 2 3")
    assert "#1 is withdrawn" in await h.reply_text(ORGANIZER, "!schedule 1 S1")
    assert "#2 is merged" in await h.reply_text(ORGANIZER, "!schedule 2 S1")


async def test_withdrawing_or_merging_a_scheduled_topic_frees_its_cell(h):
    for title in ("One", "Two", "Three"):
        await h.say(ALICE, f"!propose {title}")
    await grid(h)
    await organize(h, "!schedule 1 S1 Room A", "!schedule 2 S1 Garden")
    await h.say(ALICE, "!withdraw 1")
    await organize(h, "!merge 2 3")
    assert await booking_of(h, 1) is None and await booking_of(h, 2) is None
    assert "on the agenda" in await h.reply_text(ORGANIZER, "!schedule 3 S1 Room A")


async def test_scheduling_sets_the_topic_state_and_unscheduling_sets_it_back(h):
    unscheduled = record(h, "agenda.unscheduled")
    await h.say(ALICE, "!propose One")
    await grid(h)
    await organize(h, "!schedule 1 S1")
    assert await state_of(h, 1) == "scheduled"
    assert "off the agenda" in await h.reply_text(ORGANIZER, "!unschedule 1")
    assert await state_of(h, 1) == "proposed"
    assert unscheduled == [{"topic_id": 1}]
    assert "not on the agenda" in await h.reply_text(ORGANIZER, "!unschedule 1")


async def test_overlapping_slots_and_duplicate_names_are_refused(h):
    await grid(h)
    assert "overlaps S1" in await h.reply_text(ORGANIZER, "!slot add 2026-11-28 10:30-11:15")
    assert "overlaps S1" in await h.reply_text(ORGANIZER, "!slot add 2026-11-28 09:00-12:00")
    assert "S3" in await h.reply_text(
        ORGANIZER, "!slot add 2026-11-28 10:45-11:00"
    )  # touching is fine
    assert "type 11:00-12:00" in await h.reply_text(ORGANIZER, "!slot add 2026-11-28 12:00-11:00")
    assert "not a date" in await h.reply_text(ORGANIZER, "!slot add 2026-02-29 10:00-11:00")
    assert "already labelled" in await h.reply_text(
        ORGANIZER, "!slot add 2026-11-29 10:00-11:00 morning"
    )
    assert "looks like a slot number" in await h.reply_text(
        ORGANIZER, "!slot add 2026-11-29 10:00-11:00 S5"
    )
    assert "already a location" in await h.reply_text(ORGANIZER, "!location add room a")


async def test_removing_slots_and_locations_in_use_is_refused(h):
    await h.say(ALICE, "!propose One")
    await grid(h)
    await organize(h, "!schedule 1 Morning Garden")
    assert "still holds #1" in await h.reply_text(ORGANIZER, "!slot remove Morning")
    assert "still holds #1" in await h.reply_text(ORGANIZER, "!location remove garden")
    assert "Slot removed" in await h.reply_text(ORGANIZER, "!slot remove s2")
    assert "Location removed" in await h.reply_text(ORGANIZER, "!location remove Room A")
    assert "There is no slot S2" in await h.reply_text(ORGANIZER, "!slot remove S2")


async def test_slots_and_locations_are_listed_for_everyone(h):
    await grid(h)
    slots = await h.reply_text(ALICE, "!slots")
    assert "S1 2026-11-28 10:00–10:45 UTC · Morning" in slots and "S2" in slots
    locations = await h.reply_text(ALICE, "!locations")
    assert "Garden" in locations and "Room A (up to 20 people)" in locations


SEEDED = {
    "slots": [
        {"date": "2026-11-28", "start": "10:00", "end": "10:45", "label": "Morning"},
        {"date": "2026-11-28", "start": "11:00", "end": "11:45"},
    ],
    "locations": [{"name": "Room A", "cap": 20}, {"name": "Garden"}],
}


async def test_config_seeds_slots_and_locations_once_and_bookings_survive_a_restart(tmp_path):
    from bot.config import load_section

    config_section = load_section(Agenda.Config, SEEDED, "agenda", tmp_path / "x.toml")
    assert len(config_section.slots) == 2
    config = make_config(tmp_path, agenda=SEEDED)
    h = await Harness.create(config, plugins={"topics": Topics, "agenda": Agenda})
    await h.say(ALICE, "!propose One")
    await organize(h, "!schedule 1 Morning Room A")
    await h.close()
    h = await Harness.create(config, plugins={"topics": Topics, "agenda": Agenda})
    try:
        async with h.bot.db.transaction() as tx:
            slots = await agenda_of(h).slots(tx)
            locations = await agenda_of(h).store.locations(tx)
            booking = await agenda_of(h).booking(tx, 1)
        assert [(s.code, s.label) for s in slots] == [("S1", "Morning"), ("S2", None)]
        assert [(loc.name, loc.cap) for loc in locations] == [("Garden", None), ("Room A", 20)]
        assert (booking.slot.code, booking.location.name) == ("S1", "Room A")
    finally:
        await h.close()


@pytest.mark.parametrize(
    "bad",
    [
        {"slots": [{"date": "2026-02-30", "start": "10:00", "end": "11:00"}]},
        {"slots": [{"date": "2026-11-28", "start": "11:00", "end": "10:00"}]},
        {"slots": [{"date": "2026-11-28", "start": "25:00", "end": "26:00"}]},
        {"locations": [{"name": "Hall", "cap": 0}]},
    ],
)
def test_bad_seeds_are_config_errors(tmp_path, bad):
    from bot.config import ConfigError, load_section

    with pytest.raises(ConfigError):
        load_section(Agenda.Config, bad, "agenda", tmp_path / "x.toml")


async def test_export_has_the_grid_and_the_bookings(h):
    await h.say(ALICE, "!propose One")
    await grid(h)
    await organize(h, "!schedule 1 S2 Garden")
    async with h.bot.db.transaction() as tx:
        data = await agenda_of(h).export(tx)
    assert data["bookings"] == [{"topic_id": 1, "slot": "S2", "location": "Garden"}]
    assert [s["code"] for s in data["slots"]] == ["S1", "S2"]


async def test_catalogue_complete_in_both_languages(h):
    assert not [k for k, _ in h.bot.catalogue.missing() if k.startswith("agenda.")]
    assert not [k for k in h.bot.catalogue.placeholders_mismatch() if k.startswith("agenda.")]
    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_language(tx, ALICE, "zh-TW")
    await grid(h)
    assert "議程 2026-11-28" in await h.reply_text(ALICE, "!agenda")


async def test_an_empty_agenda_says_how_to_add_slots(h):
    reply = await h.reply_text(ALICE, "!agenda")
    assert "no time slots yet" in reply and "!slot add" in reply
    assert "Nothing is on the agenda" in await h.reply_text(ALICE, "!agenda ics")
