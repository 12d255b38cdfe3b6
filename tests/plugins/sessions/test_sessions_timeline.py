"""The session clock: reminder, start, wrap-up, end — each exactly once, late only while still useful."""

from __future__ import annotations

import asyncio
import logging

from bot.clock import FakeClock
from bot.people import Person
from bot.testing.harness import LOBBY, ORGANIZER

EVENT_NAMES = ("sessions.reminder", "sessions.started", "sessions.wrapup", "sessions.ended")


def record(event) -> list[tuple[str, int]]:
    """Every sessions.* bus event, in the order emitted."""
    seen: list[tuple[str, int]] = []
    for name in EVENT_NAMES:

        async def listener(tx, topic_id: int, name: str = name) -> None:
            seen.append((name, topic_id))

        event.h.bot.core.bus.subscribe(name, listener)
    return seen


async def at(event, hour: int, minute: int = 0) -> None:
    """Move the clock and let the session clock act (what the timed jobs do)."""
    event.h.clock.set(event.start.replace(hour=hour, minute=minute))
    await event.sessions.tick()
    await event.h.drain()


async def test_each_step_runs_at_its_time_exactly_once(event):
    seen = record(event)
    sid = await event.session("Clockwork")  # 10:00–11:00
    await event.h.say("@a:test", f"!join {sid}")
    await at(event, 9, 49)
    assert seen == []
    await at(event, 9, 50)
    await at(event, 9, 55)
    assert seen == [("sessions.reminder", sid)]
    await at(event, 10, 0)
    await at(event, 10, 1)
    assert seen[1:] == [("sessions.started", sid)]
    await at(event, 10, 55)
    await at(event, 10, 56)
    assert seen[2:] == [("sessions.wrapup", sid)]
    await at(event, 11, 0)
    await at(event, 12, 0)
    assert seen == [(name, sid) for name in EVENT_NAMES]
    assert (await event.info(sid)).state == "ended"


async def test_without_a_session_room_the_reminder_mentions_participants_in_the_lobby(event):
    sid = await event.session("No room")
    await event.h.say("@a:test", f"!join {sid}")
    before = len(event.h.transport.sent)
    await at(event, 9, 50)
    reminders = [s for s in event.h.transport.sent[before:] if s.room_id == LOBBY]
    assert len(reminders) == 1
    assert reminders[0].content["m.mentions"] == {"user_ids": ["@a:test"]}
    assert (
        "10:00–11:00" in reminders[0].content["body"]
        and f"Room{sid}" in reminders[0].content["body"]
    )


async def test_steps_are_not_repeated_after_a_restart(new_event, tmp_path):
    first = await new_event(data_dir=tmp_path)
    seen = record(first)
    sid = await first.session("Survives restarts")
    await at(first, 9, 50)
    assert seen == [("sessions.reminder", sid)]
    await first.h.close()

    second = await new_event(
        data_dir=tmp_path, clock=FakeClock(first.start.replace(hour=10, minute=5))
    )
    seen_after = record(second)
    assert f"sessions.{sid}.start" in second.h.bot.scheduler.job_ids(), (
        "the clock is rebuilt at start()"
    )
    assert f"sessions.{sid}.reminder" not in second.h.bot.scheduler.job_ids(), (
        "a step taken is not re-armed"
    )
    await second.sessions.tick()
    await second.sessions.tick()
    assert seen_after == [("sessions.started", sid)]
    await second.h.close()

    third = await new_event(
        data_dir=tmp_path, clock=FakeClock(first.start.replace(hour=10, minute=6))
    )
    seen_third = record(third)
    await third.sessions.tick()
    assert seen_third == []


async def test_a_start_missed_while_down_runs_late_within_the_slot_and_the_reminder_is_skipped(
    event, caplog
):
    seen = record(event)
    sid = await event.session("Late start")
    with caplog.at_level(logging.INFO, logger="flipchart.sessions"):
        await at(event, 10, 20)
    assert seen == [("sessions.started", sid)]
    assert any(f"session #{sid}: step reminder skipped" in r.getMessage() for r in caplog.records)


async def test_after_a_slot_missed_entirely_only_the_end_runs(event, caplog):
    seen = record(event)
    sid = await event.session("Missed")
    with caplog.at_level(logging.INFO, logger="flipchart.sessions"):
        await at(event, 11, 30)
        await at(event, 11, 31)
    assert seen == [("sessions.ended", sid)]
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert len(skipped) == 3, skipped


async def test_organizer_and_proposer_start_and_end_by_hand_once(event):
    seen = record(event)
    sid = await event.session("By hand", proposer="@host:test")
    h = event.h
    assert "Only organizers and the proposer" in await h.reply_text("@bob:test", f"!start {sid}")
    assert "has not started yet" in await h.reply_text("@host:test", f"!end {sid}")
    assert f"#{sid} By hand has started" in await h.reply_text("@host:test", f"!start {sid}")
    assert "already started" in await h.reply_text(ORGANIZER, f"!start {sid}")
    await at(event, 10, 0)
    assert seen == [("sessions.started", sid)], "the early start is not repeated at the slot's time"
    assert f"#{sid} By hand has ended" in await h.reply_text(ORGANIZER, f"!end {sid}")
    assert "already ended" in await h.reply_text("@host:test", f"!end {sid}")
    await at(event, 10, 56)
    await at(event, 11, 0)
    assert seen == [("sessions.started", sid), ("sessions.ended", sid)]
    assert "over" in await h.reply_text("@late:test", f"!join {sid}")


async def test_unscheduling_stops_the_clock(event):
    seen = record(event)
    sid = await event.session("Cancelled")
    jobs = event.h.bot.scheduler.job_ids()
    assert {f"sessions.{sid}.{step}" for step in ("reminder", "start", "wrapup", "end")} <= set(
        jobs
    )
    await event.h.say(ORGANIZER, f"!unschedule {sid}")
    assert not [j for j in event.h.bot.scheduler.job_ids() if j.startswith(f"sessions.{sid}.")]
    await at(event, 10, 0)
    assert seen == []


async def test_short_slots_with_configured_offsets(new_event):
    event = await new_event(reminder_minutes=2, wrapup_minutes=1)
    seen = record(event)
    sid = await event.session("Five minutes", minutes=5)  # 10:00–10:05
    await at(event, 9, 57)
    assert seen == []
    await at(event, 9, 58)
    await at(event, 10, 0)
    await at(event, 10, 4)
    await at(event, 10, 5)
    assert seen == [(name, sid) for name in EVENT_NAMES]


async def test_the_welcome_gives_the_house_rules_and_who_not_to_photograph(new_event):
    event = await new_event(create_rooms=True)

    async def badges(tx, user_id: str, name: str) -> Person:
        return Person(
            user_id,
            "Shy Sam" if user_id == "@shy:test" else name,
            photo=False if user_id == "@shy:test" else None,
        )

    event.h.bot.core.people.use(badges)
    sid = await event.session("Welcome")
    await event.h.say("@shy:test", f"!join {sid}")
    await event.h.say("@bold:test", f"!join {sid}")
    await event.sessions.rooms.drain()
    room = (await event.info(sid)).room_id
    await at(event, 10, 0)
    welcome = [b for b in event.h.transport.bodies(room) if b.startswith("👋")]
    assert len(welcome) == 1
    assert "!coc" in welcome[0] and "consent" in welcome[0]
    assert "Please do not photograph: Shy Sam" in welcome[0] and "bold" not in welcome[0]
    await at(event, 10, 55)
    assert any("minutes left" in b for b in event.h.transport.bodies(room))
    await at(event, 11, 0)
    assert any("has ended" in b for b in event.h.transport.bodies(room))


async def test_a_job_fired_inside_a_handler_transaction_waits_for_its_own(event):
    """A session scheduled into a running slot: its due steps run once, after the scheduling commits."""
    seen = record(event)
    started = asyncio.Event()

    async def on_started(tx, topic_id: int) -> None:
        started.set()

    event.h.bot.core.bus.subscribe("sessions.started", on_started)
    event.h.clock.set(event.start.replace(hour=10, minute=10))
    event.h.bot.scheduler.start()  # the real scheduler: past-due jobs fire at once, mid-handler
    try:
        sid = await event.session("Already running", starts=event.start.replace(hour=10))
        await asyncio.wait_for(started.wait(), timeout=5)
        await event.sessions.tick()  # queued behind any job still waiting for the database
    finally:
        event.h.bot.scheduler.shutdown()
    assert seen == [("sessions.started", sid)]
    assert (await event.info(sid)).state == "started"
