"""Translations, config checks, export, and what follows a topic's life (retitle, move)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_section
from bot.testing.harness import ORGANIZER
from plugins.sessions.config import SessionsConfig
from plugins.sessions.messages import MESSAGES


def test_every_text_exists_in_both_languages_with_the_same_placeholders(event):
    catalogue = event.h.bot.catalogue
    assert [m for m in catalogue.missing() if m[0].startswith("sessions.")] == []
    assert [k for k in catalogue.placeholders_mismatch() if k.startswith("sessions.")] == []
    assert all(key.startswith("sessions.") for key in MESSAGES)


def test_every_help_key_of_a_command_exists(event):
    sessions = event.sessions
    router = event.h.bot.router
    helps = [b.spec.help for b in router.commands if b.plugin is sessions]
    assert len(helps) == 8 and all(event.h.bot.catalogue.has(k) for k in helps)


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ({"notify_promotion": "email"}, "notify_promotion"),
        ({"default_cap": 0}, "default_cap"),
        ({"reminder_minutes": -1}, "reminder_minutes"),
        ({"create_rooms": "yes"}, "create_rooms"),
        ({"seats": 3}, "unknown key `sessions.seats`"),
    ],
)
def test_config_mistakes_are_named(raw, fragment):
    with pytest.raises(ConfigError, match=fragment.replace(".", r"\.")):
        load_section(SessionsConfig, raw, "sessions", Path("config.toml"))


def test_the_example_config_is_valid_and_holds_the_defaults():
    import tomllib

    example = Path(__file__).resolve().parents[3] / "config.example.toml"
    raw = tomllib.loads(example.read_text())["sessions"]
    assert load_section(SessionsConfig, raw, "sessions", example) == SessionsConfig()


async def test_export_lists_sessions_with_seats_waitlists_and_steps(event):
    sid = await event.session("Exported", cap=1)
    await event.h.say("@a:test", f"!join {sid}")
    await event.h.say("@b:test", f"!join {sid}")
    await event.h.say(ORGANIZER, f"!start {sid}")
    async with event.h.bot.db.transaction() as tx:
        data = await event.sessions.export(tx)
    (row,) = data["sessions"]
    assert (
        row["topic_id"] == sid
        and row["participants"] == ["@a:test"]
        and row["waitlist"] == ["@b:test"]
    )
    assert row["steps"] == {"reminder": "skipped", "start": "done"}


async def test_a_retitled_topic_renames_its_room(new_event):
    event = await new_event(create_rooms=True)
    sid = await event.session("Old name")
    await event.sessions.rooms.drain()
    room = (await event.info(sid)).room_id
    await event.h.say(ORGANIZER, f"!retitle {sid} New name")
    assert event.h.transport.rooms[room].state[("m.room.name", "")] == {"name": f"#{sid} New name"}


async def test_a_moved_session_updates_its_room_topic_and_its_clock(new_event):
    event = await new_event(create_rooms=True)
    sid = await event.session("Moving", cap=1)
    await event.h.say("@a:test", f"!join {sid}")
    await event.h.say("@b:test", f"!join {sid}")
    await event.sessions.rooms.drain()
    room = (await event.info(sid)).room_id
    later = await event.slot(event.start.replace(hour=15))
    await event.location("Bighall", 10)
    await event.h.say(ORGANIZER, f"!schedule {sid} {later} Bighall")
    topic = event.h.transport.rooms[room].state[("m.room.topic", "")]["topic"]
    assert "15:00–16:00" in topic and "Bighall" in topic
    info = await event.info(sid)
    assert info.participants == ("@a:test", "@b:test"), "the bigger place seats the waitlist"
    event.h.clock.set(event.start.replace(hour=10, minute=30))
    await event.sessions.tick()
    assert (await event.info(sid)).state == "scheduled", "the old slot's times no longer count"
