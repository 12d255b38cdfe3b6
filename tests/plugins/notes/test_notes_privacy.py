"""Privacy of the notes beyond the digest's review: deleted consent, and names a person no longer uses."""

from __future__ import annotations

from dataclasses import replace

from notes_helpers import MODERATION, Event

from bot.testing.harness import MODERATOR

ALICE, BOB = "@alice:test", "@bob:test"


async def test_deleting_the_consent_message_takes_the_speaker_out_of_the_draft(ev: Event) -> None:
    ev.h.transport.display_names[ALICE] = "Alice Wong"
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    await ev.h.say(ALICE, "!consent attributed", event_id="$consent")
    await ev.h.say(ALICE, "!note open data needs maintainers", room=room)
    await ev.end(3)
    assert "open data needs maintainers — Alice Wong" in ev.draft().content["body"]
    await ev.h.redact(ALICE, "$consent")
    edit = ev.h.transport.messages(MODERATION)[-1]
    assert edit.content["m.relates_to"]["rel_type"] == "m.replace"
    new = edit.content["m.new_content"]["body"]
    assert "maintainers" not in new and "Alice" not in new


async def anonymous_alice_named_in_bobs_note(ev: Event, note: str) -> str:
    """Session #3: Alice (anonymous) is named in a note by Bob (attributed)."""
    ev.h.transport.display_names.update({ALICE: "Alice Wong", BOB: "Bob Lin"})
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    await ev.h.say(ALICE, "!consent anonymous")
    await ev.h.say(BOB, "!consent attributed")
    await ev.h.say(BOB, f"!note {note}", room=room, event_id="$bob-note")
    return room


async def test_a_renamed_badge_keeps_the_old_name_hidden_in_earlier_notes(ev: Event) -> None:
    await ev.h.say(ALICE, "!me name Mei")
    await anonymous_alice_named_in_bobs_note(ev, "Mei suggested monthly meetups")
    await ev.h.say(ALICE, "!me name Lin")
    await ev.end(3)
    body = ev.draft().content["body"]
    assert "a participant suggested monthly meetups — Bob Lin" in body
    assert "Mei" not in body


async def test_a_changed_display_name_keeps_the_old_one_hidden_in_earlier_notes(
    ev: Event,
) -> None:
    await anonymous_alice_named_in_bobs_note(ev, "Alice Wong explained the timetable API")
    ev.h.transport.display_names[ALICE] = "Ally"
    await ev.end(3)
    body = ev.draft().content["body"]
    assert "a participant explained the timetable API — Bob Lin" in body
    assert "Alice" not in body


async def test_editing_a_note_after_a_rename_keeps_the_old_name_hidden(ev: Event) -> None:
    await ev.h.say(ALICE, "!me name Mei")
    room = await anonymous_alice_named_in_bobs_note(ev, "Mei suggested meetups")
    await ev.h.say(ALICE, "!me name Lin")
    await ev.h.edit(BOB, "$bob-note", "!note Mei suggested monthly meetups", room=room)
    await ev.end(3)
    body = ev.draft().content["body"]
    assert "a participant suggested monthly meetups — Bob Lin" in body
    assert "Mei" not in body


async def test_a_moderator_edit_with_the_old_name_is_refused(ev: Event) -> None:
    await ev.h.say(ALICE, "!me name Mei")
    await anonymous_alice_named_in_bobs_note(ev, "Mei suggested monthly meetups")
    await ev.h.say(ALICE, "!me name Lin")
    await ev.end(3)
    refused = await ev.h.reply_text(
        MODERATOR, "!digest edit 3\n## Summary\n- Mei wants meetups", room=MODERATION
    )
    assert "names someone" in refused


async def test_someone_who_left_the_session_stays_hidden_in_notes_that_named_them(
    ev: Event,
) -> None:
    await anonymous_alice_named_in_bobs_note(ev, "Alice Wong suggested monthly meetups")
    ev.sessions.infos[3] = replace(ev.sessions.infos[3], participants=(BOB,))
    await ev.end(3)
    body = ev.draft().content["body"]
    assert "a participant suggested monthly meetups — Bob Lin" in body


async def names_kept(ev: Event) -> list[tuple[str, str]]:
    async with ev.h.bot.db.transaction() as tx:
        rows = await tx.fetchall("SELECT user_id, name FROM notes_names ORDER BY user_id, name")
    return [(r["user_id"], r["name"]) for r in rows]


async def test_only_names_the_notes_use_are_kept_and_they_go_with_the_note(ev: Event) -> None:
    room = await anonymous_alice_named_in_bobs_note(ev, "Alice Wong and Bob Lin agree")
    await ev.h.say(BOB, "!note nobody named here", room=room)
    assert await names_kept(ev) == [(ALICE, "Alice Wong"), (BOB, "Bob Lin")]
    await ev.h.redact(BOB, "$bob-note", room=room)
    assert await names_kept(ev) == []


async def test_forget_me_erases_the_names_kept_for_that_person(ev: Event) -> None:
    await anonymous_alice_named_in_bobs_note(ev, "Alice Wong and Bob Lin agree")
    await ev.h.say(ALICE, "!forget me confirm")
    assert await names_kept(ev) == [(BOB, "Bob Lin")]


async def test_names_kept_whole_words_in_any_case_a_name_inside_a_longer_one_too(ev: Event) -> None:
    ev.h.transport.display_names.update({ALICE: "Zoë Ünal", BOB: "Mei Lin"})
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    await ev.h.say(ALICE, "!me name Mei")
    await ev.h.say(BOB, "!note MEI LIN asked ZOË ÜNAL about Meiling", room=room)
    # "Mei" is kept for Alice: "MEI LIN" uses it too, and a name missed would show in a draft.
    assert await names_kept(ev) == [(ALICE, "Mei"), (ALICE, "Zoë Ünal"), (BOB, "Mei Lin")]
    await ev.h.say(BOB, "!note Meiling and Zoëy are places", room=room)
    assert len(await names_kept(ev)) == 3  # part of a word is not a name
