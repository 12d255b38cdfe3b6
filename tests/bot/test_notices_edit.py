"""Editing a message that was (or becomes) too long for one event: every part follows, nothing stale stays,
in a room or in a person's direct chat."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.i18n import Raw, T
from bot.outbox import Ref
from bot.testing.fake import FakeTransport
from bot.testing.harness import LOBBY, Harness, make_config
from bot.transport import Refused


@pytest_asyncio.fixture
async def h() -> AsyncIterator[Harness]:
    harness = await Harness.create(plugins={})
    yield harness
    await harness.close()  # also when the test failed: an open database keeps pytest from exiting


def long_text(n: int, word: str = "part") -> str:
    """Markdown that `Notices.content` splits into exactly n parts (one paragraph each)."""
    return "\n\n".join(f"{word}{i} " + "word " * 2000 for i in range(n))


async def send(h: Harness, text: str, **kwargs: Any) -> Any:
    async with h.bot.db.transaction() as tx:
        ref = await h.bot.core.notices.send(tx, LOBBY, Raw(text), **kwargs)
    await h.bot.outbox.drain()
    return ref


async def edit(h: Harness, target: Any, text: str) -> None:
    async with h.bot.db.transaction() as tx:
        await h.bot.core.notices.edit(tx, LOBBY, target, Raw(text))
    await h.bot.outbox.drain()


def shown(*transports: FakeTransport, room: str = LOBBY) -> list[str]:
    """What a client shows in the room: messages in order, each with its latest edit, redacted ones gone."""
    sent = [s for t in transports for s in t.messages(room)]
    redacted = {event_id for t in transports for _room, event_id, _reason in t.redactions}
    bodies: dict[str, str] = {}
    for s in sent:
        relation = s.content.get("m.relates_to", {})
        if relation.get("rel_type") == "m.replace":
            assert relation["event_id"] in bodies, "an edit of a message never sent"
            bodies[relation["event_id"]] = s.content["m.new_content"]["body"]
        else:
            bodies[s.event_id] = s.content["body"]
    return [body for event_id, body in bodies.items() if event_id not in redacted]


def assert_manners(transport: FakeTransport) -> None:
    for s in transport.messages(LOBBY):
        assert s.content["msgtype"] == "m.notice" and "m.mentions" in s.content
        assert s.content["body"] and ("format" in s.content) == ("formatted_body" in s.content)


async def test_a_one_part_message_edited_to_three_parts_sends_the_rest_right_after_it(h: Harness) -> None:
    ref = await send(h, "short", tag="x.long:1")
    await edit(h, ref, long_text(3))
    first, replaced, *added = h.transport.messages(LOBBY)
    assert replaced.content["m.relates_to"] == {"rel_type": "m.replace", "event_id": first.event_id}
    assert [s.content["m.new_content"]["body"].split()[0] for s in [replaced]] == ["part0"]
    assert [s.content["body"].split()[0] for s in added] == ["part1", "part2"]
    assert all("m.relates_to" not in s.content for s in added)  # the original was no reply either
    assert [b.split()[0] for b in shown(h.transport)] == ["part0", "part1", "part2"]
    assert_manners(h.transport)
    async with h.bot.db.transaction() as tx:  # the added parts belong to the message like its first
        assert [await h.bot.outbox.tag_of_event(tx, s.event_id) for s in added] == ["x.long:1"] * 2


async def test_a_three_part_message_edited_to_one_part_redacts_the_surplus_parts(h: Harness) -> None:
    ref = await send(h, long_text(3))
    originals = h.transport.messages(LOBBY)
    assert len(originals) == 3
    await edit(h, ref, "short now")
    assert shown(h.transport) == ["short now"]
    assert [event_id for _room, event_id, _reason in h.transport.redactions] == [
        originals[1].event_id,
        originals[2].event_id,
    ]


async def test_a_three_part_message_edited_to_three_parts_edits_each_part_in_order(h: Harness) -> None:
    ref = await send(h, long_text(3, "old"))
    originals = h.transport.messages(LOBBY)
    await edit(h, ref, long_text(3, "new"))
    edits = h.transport.messages(LOBBY)[3:]
    assert [s.content["m.relates_to"]["event_id"] for s in edits] == [s.event_id for s in originals]
    assert [b.split()[0] for b in shown(h.transport)] == ["new0", "new1", "new2"]
    assert not h.transport.redactions
    assert_manners(h.transport)


async def test_a_message_shrunk_then_grown_again_shows_the_latest_text_whole(h: Harness) -> None:
    ref = await send(h, long_text(2, "a"))
    await edit(h, ref, long_text(4, "b"))
    await edit(h, ref, long_text(2, "c"))
    await edit(h, ref, long_text(3, "d"))
    assert [b.split()[0] for b in shown(h.transport)] == ["d0", "d1", "d2"]
    rows = await h.bot.db.read("SELECT seq FROM core_message_parts WHERE message = ? ORDER BY seq", (ref.row_id,))
    assert [r["seq"] for r in rows] == [1, 2]


async def test_the_parts_of_a_message_are_remembered_across_a_restart(tmp_path: Any) -> None:
    h = await Harness.create(make_config(tmp_path), plugins={})
    try:
        ref = await send(h, long_text(3, "old"))
    finally:
        await h.close()
    before = h.transport
    h = await Harness.create(make_config(tmp_path), plugins={})  # a new process: only the database knows
    try:
        await edit(h, ref, long_text(2, "new"))
        assert [b.split()[0] for b in shown(before, h.transport)] == ["new0", "new1"]
        redacted = [event_id for _room, event_id, _reason in h.transport.redactions]
        assert redacted == [before.messages(LOBBY)[2].event_id]
    finally:
        await h.close()


async def test_parts_added_by_an_edit_stay_in_the_thread_and_reply_of_the_message(h: Harness) -> None:
    ref = await send(h, "short", reply_to="$question", thread_root="$root", mentions=["@alice:test"], tag="x.kept:1")
    await edit(h, ref, long_text(2))
    first, replaced, added = h.transport.messages(LOBBY)
    assert added.content["m.relates_to"] == first.content["m.relates_to"] == {
        "rel_type": "m.thread",
        "event_id": "$root",
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": "$question"},
    }
    assert replaced.content["m.relates_to"]["rel_type"] == "m.replace"
    assert added.content["m.mentions"] == {}  # the mention is notified once, with the first part
    assert [b.split()[0] for b in shown(h.transport)] == ["part0", "part1"]


async def test_a_message_known_only_by_event_id_is_edited_as_one_part(h: Harness) -> None:
    await send(h, "short")
    (first,) = h.transport.messages(LOBBY)
    await edit(h, first.event_id, long_text(2))
    assert [b.split()[0] for b in shown(h.transport)] == ["part0"]
    assert len(h.transport.messages(LOBBY)) == 2 and not h.transport.redactions


async def test_a_plain_command_reply_keeps_no_record_of_what_it_answered(h: Harness) -> None:
    """Store the minimum: only tagged or multi-part messages (the ones an edit may grow) keep their relation."""
    await send(h, "pong", reply_to="$question")
    await send(h, long_text(2), reply_to="$other")
    rows = await h.bot.db.read("SELECT reply_to FROM core_message_relations")
    assert [r["reply_to"] for r in rows] == ["$other"]


# --- direct messages: the same, in the person's chat, which may not exist yet when the edit is queued ---

ALICE = "@alice:test"


async def direct(h: Harness, text: Any, *, drain: bool = True, **kwargs: Any) -> Ref:
    async with h.bot.db.transaction() as tx:
        ref = await h.bot.core.notices.direct(tx, ALICE, text if isinstance(text, T) else Raw(text), **kwargs)
    if drain:
        await h.bot.outbox.drain()
    return ref


async def edit_by_ref(h: Harness, target: Ref, text: Any) -> None:
    """An edit naming no room: the Ref knows where its message went."""
    async with h.bot.db.transaction() as tx:
        await h.bot.core.notices.edit(tx, None, target, text if isinstance(text, T) else Raw(text))
    await h.bot.outbox.drain()


def dm_room(h: Harness) -> str:
    (room,) = [room for room, user in h.transport.invites if user == ALICE]
    return room


def words(h: Harness, room: str) -> list[str]:
    return [b.split()[0] for b in shown(h.transport, room=room)]


async def test_a_three_part_direct_message_edited_edits_each_of_its_parts(h: Harness) -> None:
    ref = await direct(h, long_text(3, "old"))
    await edit_by_ref(h, ref, long_text(3, "new"))
    assert words(h, dm_room(h)) == ["new0", "new1", "new2"]
    assert {s.room_id for s in h.transport.messages()} == {dm_room(h)}
    assert not h.transport.redactions


async def test_a_direct_message_that_grows_gets_its_new_parts_in_the_same_chat_with_its_tag(h: Harness) -> None:
    ref = await direct(h, "short", tag="x.told:1")
    await edit_by_ref(h, ref, long_text(3))
    assert words(h, dm_room(h)) == ["part0", "part1", "part2"]
    added = h.transport.messages(dm_room(h))[2:]
    async with h.bot.db.transaction() as tx:
        assert [await h.bot.outbox.tag_of_event(tx, s.event_id) for s in added] == ["x.told:1"] * 2


async def test_a_direct_message_that_shrinks_has_its_surplus_parts_redacted_in_its_chat(h: Harness) -> None:
    ref = await direct(h, long_text(3))
    originals = h.transport.messages(dm_room(h))
    await edit_by_ref(h, ref, "short now")
    assert words(h, dm_room(h)) == ["short"]
    assert h.transport.redactions == [(dm_room(h), s.event_id, None) for s in originals[1:]]


async def test_an_edit_queued_before_the_chat_is_opened_reaches_it_once_it_is(h: Harness) -> None:
    ref = await direct(h, long_text(2, "old"), drain=False)  # no chat with alice yet, nothing sent
    assert not h.transport.invites
    await edit_by_ref(h, ref, long_text(3, "new"))
    assert words(h, dm_room(h)) == ["new0", "new1", "new2"]  # one chat, opened once


async def test_an_edit_of_a_direct_message_speaks_the_persons_language(h: Harness) -> None:
    async with h.bot.db.transaction() as tx:
        await h.bot.core.preferences.set_language(tx, ALICE, "zh-TW")
    ref = await direct(h, T("core.yes"))
    await edit_by_ref(h, ref, T("core.no"))
    assert words(h, dm_room(h)) == ["否"]


async def test_an_edit_of_a_direct_message_that_could_not_be_sent_is_given_up_and_opens_no_chat(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h.transport.failures = [Refused("alice's server refuses the invite")]
    ref = await direct(h, "first")
    await edit_by_ref(h, ref, "second")
    assert not h.transport.sent and not h.transport.invites
    assert "never sent" in caplog.text
    await direct(h, "later")  # and the outbox goes on
    assert words(h, dm_room(h)) == ["later"]


async def test_a_room_message_edited_without_naming_the_room_is_edited_in_its_room(h: Harness) -> None:
    ref = await send(h, long_text(2, "old"))
    await edit_by_ref(h, ref, long_text(2, "new"))
    assert words(h, LOBBY) == ["new0", "new1"]


async def test_an_edit_by_event_id_needs_its_room(h: Harness) -> None:
    async with h.bot.db.transaction() as tx:
        with pytest.raises(ValueError, match="room"):
            await h.bot.core.notices.edit(tx, None, "$event", Raw("text"))
