"""`!forget me confirm` and other people's notes: the forgotten person's names leave their texts for
good (drafts, digests not made yet, publications), whatever the person was called when they were written."""

from __future__ import annotations

import contextlib
import gc
from pathlib import Path

from notes_helpers import ANNOUNCEMENTS, MODERATION, Event, notes_harness

from bot.testing.harness import MODERATOR

ALICE, BOB = "@alice:test", "@bob:test"


async def bob_names_alice(ev: Event, note: str, alice_consents: str = "anonymous") -> str:
    """Session #3 (started): Bob (attributed) writes a note that names Alice."""
    ev.h.transport.display_names.update({ALICE: "Alice Wong", BOB: "Bob Lin"})
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    await ev.h.say(ALICE, f"!consent {alice_consents}")
    await ev.h.say(BOB, "!consent attributed")
    await ev.h.say(BOB, f"!note {note}", room=room, event_id="$bob-note")
    return room


async def texts_and_names(ev: Event) -> tuple[list[str], list[str]]:
    async with ev.h.bot.db.transaction() as tx:
        notes = await tx.fetchall("SELECT text FROM notes_notes ORDER BY id")
        names = await tx.fetchall("SELECT name FROM notes_names ORDER BY name")
    return [r["text"] for r in notes], [r["name"] for r in names]


async def test_forget_me_says_published_digests_and_others_notes_lose_you_too(ev: Event) -> None:
    reply = await ev.h.reply_text(ALICE, "!forget me")
    assert "stay as they are" not in reply
    assert "published ones included" in reply and "other people's notes" in reply
    await ev.h.reply_text(ALICE, "!me lang zh-TW")
    reply = await ev.h.reply_text(ALICE, "!forget me")
    assert "維持不變" not in reply and "包括已公開的" in reply and "其他人的筆記" in reply


async def test_a_forgotten_badge_name_stays_out_of_the_draft_and_the_publication(
    ev: Event,
) -> None:
    await ev.h.say(ALICE, "!me name Mei")
    await bob_names_alice(ev, "Mei suggested monthly meetups")
    await ev.end(3)
    assert "a participant suggested monthly meetups — Bob Lin" in ev.draft().content["body"]
    await ev.h.say(ALICE, "!forget me confirm")
    shown = await ev.h.reply_text(MODERATOR, "!digest show 3")
    assert "a participant suggested monthly meetups — Bob Lin" in shown and "Mei" not in shown
    await ev.h.reply_text(MODERATOR, "!digest approve 3")
    published = ev.h.transport.bodies(ANNOUNCEMENTS)[-1]
    assert "a participant suggested monthly meetups" in published and "Mei" not in published
    assert await texts_and_names(ev) == (["a participant suggested monthly meetups"], [])


async def test_a_forgotten_display_name_stays_out_of_the_draft(ev: Event) -> None:
    await bob_names_alice(ev, "Alice Wong explained the timetable API")
    await ev.end(3)
    await ev.h.say(ALICE, "!forget me confirm")
    shown = await ev.h.reply_text(MODERATOR, "!digest show 3")
    assert "a participant explained the timetable API — Bob Lin" in shown
    assert "Alice" not in shown


async def test_an_old_name_from_before_a_rename_stays_out_after_forgetting(ev: Event) -> None:
    await ev.h.say(ALICE, "!me name Mei")
    await bob_names_alice(ev, "Mei suggested monthly meetups")
    await ev.h.say(ALICE, "!me name Ming")
    await ev.end(3)
    await ev.h.say(ALICE, "!forget me confirm")
    shown = await ev.h.reply_text(MODERATOR, "!digest show 3")
    assert "a participant suggested monthly meetups — Bob Lin" in shown
    assert "Mei" not in shown and "Ming" not in shown


async def test_notes_of_a_session_not_ended_yet_lose_the_name_too(ev: Event) -> None:
    await ev.h.say(ALICE, "!me name Mei")
    await bob_names_alice(ev, "Mei suggested monthly meetups")
    await ev.h.say(ALICE, "!forget me confirm")
    await ev.end(3)
    body = ev.draft().content["body"]
    assert "a participant suggested monthly meetups — Bob Lin" in body and "Mei" not in body


async def test_a_named_person_who_is_forgotten_leaves_the_draft_shown_to_moderators(
    ev: Event,
) -> None:
    await ev.h.say(ALICE, "!me name Mei")
    await bob_names_alice(ev, "Mei suggested monthly meetups", alice_consents="attributed")
    await ev.end(3)
    assert "Mei suggested monthly meetups — Bob Lin" in ev.draft().content["body"]
    await ev.h.say(ALICE, "!forget me confirm")
    edit = ev.h.transport.messages(MODERATION)[-1].content
    assert edit["m.relates_to"]["rel_type"] == "m.replace"
    new = edit["m.new_content"]["body"]
    assert "a participant suggested monthly meetups — Bob Lin" in new and "Mei" not in new


async def test_a_moderators_edit_loses_the_forgotten_name_and_words(ev: Event) -> None:
    await ev.h.say(ALICE, "!me name Mei")
    room = await bob_names_alice(ev, "Mei suggested monthly meetups", alice_consents="attributed")
    await ev.h.say(ALICE, "!note meetups should rotate between cities", room=room)
    await ev.end(3)
    edited = (
        "!digest edit 3\n## Summary\n- Mei wants monthly meetups\n"
        "- Mei: meetups should rotate between cities\n- We agreed on a wiki"
    )
    assert "replaced" in await ev.h.reply_text(MODERATOR, edited, room=MODERATION)
    await ev.h.say(ALICE, "!forget me confirm")
    shown = await ev.h.reply_text(MODERATOR, "!digest show 3")
    assert "Mei" not in shown and "rotate" not in shown
    assert "a participant wants monthly meetups" in shown and "We agreed on a wiki" in shown


async def test_a_published_digest_is_corrected_when_a_person_named_in_it_is_forgotten(
    tmp_path: Path,
) -> None:
    h = await notes_harness(tmp_path)
    ev = Event(h)
    try:
        await bob_names_alice(ev, "Alice Wong explained the timetable API", "attributed")
        await ev.end(3)
        await h.reply_text(MODERATOR, "!digest approve 3")
        announcement = h.transport.messages(ANNOUNCEMENTS)[0]
        assert "Alice Wong explained the timetable API — Bob Lin" in announcement.content["body"]
        await h.say(ALICE, "!forget me confirm")
        edit = h.transport.messages(ANNOUNCEMENTS)[-1].content
        assert edit["m.relates_to"]["event_id"] == announcement.event_id
        new = edit["m.new_content"]["body"]
        assert "a participant explained the timetable API — Bob Lin" in new and "Alice" not in new
        assert "Alice" not in (tmp_path / "digests" / "session-0003.md").read_text()
        assert any("was corrected" in b for b in h.transport.bodies(MODERATION))
        # A later correction (another consent change) does not bring the name back.
        await h.say(BOB, "!consent anonymous")
        new = h.transport.messages(ANNOUNCEMENTS)[-1].content["m.new_content"]["body"]
        assert "Alice" not in new and "explained the timetable API — a participant" in new
    finally:
        await h.close()


async def test_an_edited_publication_loses_the_forgotten_persons_name_and_words(
    ev: Event,
) -> None:
    room = await bob_names_alice(ev, "Alice Wong explained the timetable API", "attributed")
    await ev.h.say(ALICE, "!note the timetable API needs an owner", room=room)
    await ev.end(3)
    edited = (
        "!digest edit 3\n## Summary\n- Alice Wong explained the API\n"
        "- Alice Wong: the timetable API needs an owner\n- We agreed on a wiki"
    )
    assert "replaced" in await ev.h.reply_text(MODERATOR, edited, room=MODERATION)
    await ev.h.reply_text(MODERATOR, "!digest approve 3", room=MODERATION)
    await ev.h.say(ALICE, "!forget me confirm")
    new = ev.h.transport.messages(ANNOUNCEMENTS)[-1].content["m.new_content"]["body"]
    assert "Alice" not in new and "needs an owner" not in new
    assert "a participant explained the API" in new and "We agreed on a wiki" in new


async def bob_names_mei_without_alice(ev: Event, note: str) -> str:
    """Alice is badged "Mei"; session #4 (started) is Bob's alone, so his note naming Mei records
    no name of Alice's (she is nobody involved there)."""
    ev.h.transport.display_names.update({ALICE: "Alice Wong", BOB: "Bob Lin"})
    await ev.h.say(ALICE, "!me name Mei")
    await ev.h.say(BOB, "!consent attributed")
    room = ev.session(4, (BOB,))
    await ev.start(4)
    await ev.h.say(BOB, f"!note {note}", room=room)
    return room


async def stored_by_badges_and_notes(ev: Event) -> str:
    """Every text value in the tables of badges and notes, to look for what must not be kept."""
    async with ev.h.bot.db.transaction() as tx:
        tables = await tx.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND (name LIKE 'badges^_%' ESCAPE '^' OR name LIKE 'notes^_%' ESCAPE '^')"
        )
        values = []
        for t in tables:
            for row in await tx.fetchall(f"SELECT * FROM {t['name']}"):
                values += [v for v in tuple(row) if isinstance(v, str)]
    return "\n".join(values)


async def test_a_badge_name_no_note_recorded_leaves_the_notes_when_forgotten(ev: Event) -> None:
    await bob_names_mei_without_alice(ev, "Mei suggested monthly meetups")
    await ev.end(4)
    assert "Mei suggested monthly meetups — Bob Lin" in ev.draft().content["body"]
    await ev.h.say(ALICE, "!forget me confirm")
    shown = await ev.h.reply_text(MODERATOR, "!digest show 4")
    assert "a participant suggested monthly meetups — Bob Lin" in shown and "Mei" not in shown
    assert await texts_and_names(ev) == (["a participant suggested monthly meetups"], [])
    # Nothing of hers was kept to do it.
    stored = await stored_by_badges_and_notes(ev)
    assert ALICE not in stored and "Mei" not in stored


async def test_a_publication_naming_a_badge_no_note_recorded_is_corrected(ev: Event) -> None:
    await bob_names_mei_without_alice(ev, "Mei suggested monthly meetups")
    await ev.end(4)
    await ev.h.reply_text(MODERATOR, "!digest approve 4")
    assert "Mei suggested" in ev.h.transport.bodies(ANNOUNCEMENTS)[-1]
    await ev.h.say(ALICE, "!forget me confirm")
    new = ev.h.transport.messages(ANNOUNCEMENTS)[-1].content["m.new_content"]["body"]
    assert "a participant suggested monthly meetups — Bob Lin" in new and "Mei" not in new


async def test_names_gathered_for_a_forget_that_rolled_back_are_not_kept(ev: Event) -> None:
    await ev.h.say(ALICE, "!me name Mei")

    async def gathered_then_failed() -> None:
        async with ev.h.bot.db.transaction() as tx:
            await ev.h.bot.core.bus.emit(tx, "people.forgetting", user_id=ALICE)
            assert "Mei" in ev.notes._forgetting[tx][ALICE]
            raise RuntimeError("a later subscriber failed: nobody is forgotten")

    with contextlib.suppress(RuntimeError):
        await gathered_then_failed()
    gc.collect()
    assert not ev.notes._forgetting
