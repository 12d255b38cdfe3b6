"""A room per session inside the event's space, made by a worker outside transactions, invites for seats."""

from __future__ import annotations

from bot.config import EventConfig
from bot.testing.harness import LOBBY, ORGANIZER
from bot.transport import RateLimited, Refused, Unreachable
from plugins.sessions import rooms


def created(event) -> list:
    """Rooms the bot created (not direct chats), in creation order."""
    return [
        r for r in event.h.transport.rooms.values() if r.spec is not None and not r.spec.is_direct
    ]


async def settle(event) -> None:
    await event.sessions.rooms.drain()
    await event.h.drain()


async def test_a_scheduled_session_gets_an_invite_only_room_in_the_event_space(new_event):
    event = await new_event(create_rooms=True)
    sid = await event.session("Civic maps")
    await event.h.say("@a:test", f"!join {sid}")
    await settle(event)
    space, room = created(event)
    assert space.spec.is_space and space.spec.private
    assert room.name == f"#{sid} Civic maps" and room.spec.private and not room.spec.is_space
    assert "2026-11-28 10:00–11:00" in room.topic and f"Room{sid}" in room.topic
    assert (event.h.transport.rooms[space.room_id].state[("m.space.child", room.room_id)]) == {
        "via": ["test"]
    }
    assert room.spec.initial_state[0]["type"] == "m.space.parent"
    assert (space.room_id, "@a:test") not in event.h.transport.invites
    assert (room.room_id, "@a:test") in event.h.transport.invites
    # The lobby joins the space too.
    assert ("m.space.child", LOBBY) in event.h.transport.rooms[space.room_id].state
    assert event.h.transport.rooms[LOBBY].state[("m.space.parent", space.room_id)] == {
        "via": ["test"]
    }
    async with event.h.bot.db.transaction() as tx:
        assert await event.sessions.session_for_room(tx, room.room_id) == sid


async def test_later_seats_and_promotions_are_invited_at_once(new_event):
    event = await new_event(create_rooms=True)
    sid = await event.session("Tiny", cap=1)
    await settle(event)
    room = (await event.info(sid)).room_id
    await event.h.say("@a:test", f"!join {sid}")
    await event.h.say("@b:test", f"!join {sid}")
    assert (room, "@a:test") in event.h.transport.invites
    assert (room, "@b:test") not in event.h.transport.invites, "a waitlist place is no seat"
    await event.h.say("@a:test", f"!leave {sid}")
    assert (room, "@b:test") in event.h.transport.invites


async def test_commands_in_the_session_room_default_to_its_session(new_event):
    event = await new_event(create_rooms=True)
    sid = await event.session("Room talk")
    await event.h.say("@a:test", f"!join {sid}")
    await settle(event)
    room = (await event.info(sid)).room_id
    reply = await event.h.reply_text("@a:test", "!who", room=room)
    assert f"#{sid} Room talk" in reply and "@a:test" in reply
    assert "Which session?" in await event.h.reply_text("@a:test", "!who")


async def test_a_configured_space_is_joined_not_created(new_event):
    event = await new_event(create_rooms=True, core={"event": EventConfig(space="#space:test")})
    sid = await event.session("In their space")
    await settle(event)
    assert [r.spec.is_space for r in created(event)] == [False]
    room = (await event.info(sid)).room_id
    assert ("m.space.child", room) in event.h.transport.rooms["#space:test"].state


async def test_rate_limits_and_outages_are_waited_out_and_each_room_is_made_once(
    new_event, monkeypatch
):
    monkeypatch.setattr(rooms, "FIRST_BACKOFF_S", 0.01)
    event = await new_event(create_rooms=True)
    await settle(event)  # the space
    sid = await event.session("Throttled")
    event.h.transport.failures = [RateLimited(5), Unreachable("down"), RateLimited(5)]
    await settle(event)
    assert [r.name for r in created(event) if not r.spec.is_space] == [f"#{sid} Throttled"]
    assert (await event.info(sid)).room_id is not None


async def test_a_refused_room_is_given_up_without_blocking_the_queue(new_event):
    event = await new_event(create_rooms=True)
    await settle(event)
    first = await event.session("Refused")
    second = await event.session("Fine")
    event.h.transport.failures = [Refused("forbidden", "M_FORBIDDEN")]
    await settle(event)
    assert (await event.info(first)).room_id is None
    assert (await event.info(second)).room_id is not None


async def test_two_hundred_sessions_scheduled_at_once_all_get_their_room(new_event):
    event = await new_event(create_rooms=True)
    ids = [
        await event.session(f"Session {i}", starts=event.start.replace(hour=10 + i % 8))
        for i in range(200)
    ]
    async with event.h.bot.db.transaction() as tx:
        assert await event.sessions.store.room_job_count(tx) == 200
    await settle(event)
    names = sorted(r.name for r in created(event) if not r.spec.is_space)
    assert names == sorted(f"#{i} Session {n}" for n, i in enumerate(ids))
    for sid in ids:
        assert (await event.info(sid)).room_id is not None


async def test_a_session_unscheduled_before_its_room_exists_gets_none(new_event):
    event = await new_event(create_rooms=True)
    sid = await event.session("Gone")
    await event.h.say(ORGANIZER, f"!unschedule {sid}")
    await settle(event)
    assert [r for r in created(event) if not r.spec.is_space] == []


async def test_no_rooms_when_create_rooms_is_off(event):
    await event.session("Roomless")
    await settle(event)
    assert created(event) == []


async def test_a_session_scheduled_into_a_running_slot_gets_its_welcome_when_the_room_is_made(
    new_event,
):
    event = await new_event(create_rooms=True)
    event.h.clock.set(event.start.replace(hour=10, minute=5))
    sid = await event.session("Ad hoc", starts=event.start.replace(hour=10))
    await event.h.say("@a:test", f"!join {sid}")
    await event.sessions.tick()
    assert (await event.info(sid)).room_id is None
    await settle(event)
    room = (await event.info(sid)).room_id
    assert len([b for b in event.h.transport.bodies(room) if b.startswith("👋")]) == 1


async def test_the_room_queue_and_the_space_survive_a_restart(new_event, tmp_path):
    first = await new_event(create_rooms=True, data_dir=tmp_path)
    space = await first.sessions.rooms.space()
    sid = await first.session("Queued")
    await first.h.close()  # before the worker made the room
    second = await new_event(create_rooms=True, data_dir=tmp_path)
    await settle(second)
    (room,) = created(second)
    assert room.name == f"#{sid} Queued", "the queued room is made after the restart, once"
    assert room.spec.initial_state[0]["state_key"] == space, (
        "in the space made before, not a new one"
    )
