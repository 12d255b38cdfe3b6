"""!note, !expect, !action: where they go, whose words they are, limits, edits and redactions."""

from __future__ import annotations

from notes_helpers import Event

ALICE, BOB = "@alice:test", "@bob:test"


async def test_note_in_a_session_room_goes_to_that_session(ev: Event) -> None:
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    reply = await ev.h.reply_text(ALICE, "!note We agreed to meet monthly", room=room)
    assert "Noted for session #3" in reply and "will not be published" in reply
    await ev.h.reply_text(ALICE, "!consent attributed")
    assert "with your name" in await ev.h.reply_text(ALICE, "!note Second point", room=room)
    async with ev.h.bot.db.transaction() as tx:
        notes = await ev.notes.store.notes(tx, 3)
    assert [(n.speaker, n.text) for n in notes] == [
        (ALICE, "We agreed to meet monthly"),
        (ALICE, "Second point"),
    ]


async def test_note_elsewhere_needs_the_session_id(ev: Event) -> None:
    ev.session(3, (ALICE,))
    await ev.start(3)
    assert "Which session?" in await ev.h.reply_text(ALICE, "!note just text")
    assert "Noted for session #3" in await ev.h.reply_text(ALICE, "!note #3 from the lobby")
    assert "no scheduled session #99" in await ev.h.reply_text(ALICE, "!note 99 text")


async def test_notes_open_only_once_the_session_started(ev: Event) -> None:
    room = ev.session(4, (ALICE,))
    assert "has not started" in await ev.h.reply_text(ALICE, "!note too early", room=room)


async def test_note_for_someone_else_records_them_as_speaker(ev: Event) -> None:
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    reply = await ev.h.reply_text(ALICE, f"!note {BOB}: transit data should be open", room=room)
    assert "as said by @bob:test" in reply and "Their consent decides" in reply
    await ev.h.say(ALICE, "!note Bob: pills work too", room=room, mentions=(BOB,))
    async with ev.h.bot.db.transaction() as tx:
        notes = await ev.notes.store.notes(tx, 3)
    assert [(n.speaker, n.author, n.text) for n in notes] == [
        (BOB, ALICE, "transit data should be open"),
        (BOB, ALICE, "pills work too"),
    ]


async def test_expectations_and_actions_with_owner(ev: Event) -> None:
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    assert "Expectation added" in await ev.h.reply_text(
        ALICE, "!expect learn from others", room=room
    )
    assert "Action item added" in await ev.h.reply_text(
        ALICE, f"!action write the wiki page {BOB}", room=room
    )
    async with ev.h.bot.db.transaction() as tx:
        notes = await ev.notes.store.notes(tx, 3)
    assert [(n.kind, n.text, n.owner) for n in notes] == [
        ("expectation", "learn from others", None),
        ("action", "write the wiki page", BOB),
    ]


async def test_too_long_and_too_many_are_refused_clearly() -> None:
    from notes_helpers import notes_harness

    h = await notes_harness(notes={"max_length": 20, "per_minute": 2})
    ev = Event(h)
    try:
        room = ev.session(3, (ALICE, BOB))
        await ev.start(3)
        assert "too long (21 characters; at most 20)" in await h.reply_text(
            ALICE, "!note " + "x" * 21, room=room
        )
        await h.reply_text(ALICE, "!note one", room=room)
        await h.reply_text(ALICE, "!note two", room=room)
        assert "2 notes within a minute" in await h.reply_text(ALICE, "!note three", room=room)
        assert "Noted" in await h.reply_text(BOB, "!note mine", room=room)  # the limit is per author
        async with h.bot.db.transaction() as tx:
            assert [n.text for n in await ev.notes.store.notes(tx, 3)] == ["one", "two", "mine"]
        h.clock.advance(seconds=61)
        assert "Noted" in await h.reply_text(ALICE, "!note three", room=room)
    finally:
        await h.close()


async def test_editing_the_message_edits_the_note_and_redacting_deletes_it(ev: Event) -> None:
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    await ev.h.say(ALICE, "!note first version", room=room, event_id="$n1")
    await ev.h.say(ALICE, "!note to be removed", room=room, event_id="$n2")
    await ev.h.edit(ALICE, "$n1", "!note second version", room=room)
    await ev.h.edit(BOB, "$n2", "!note hijacked", room=room)  # only the author's edits count
    async with ev.h.bot.db.transaction() as tx:
        assert [n.text for n in await ev.notes.store.notes(tx, 3)] == [
            "second version",
            "to be removed",
        ]
    await ev.h.redact(ALICE, "$n2", room=room)
    async with ev.h.bot.db.transaction() as tx:
        assert [n.text for n in await ev.notes.store.notes(tx, 3)] == ["second version"]
    await ev.h.edit(
        ALICE, "$n1", "never mind", room=room
    )  # the command edited away: no note any more
    async with ev.h.bot.db.transaction() as tx:
        assert await ev.notes.store.notes(tx, 3) == []


async def test_reply_capture_without_a_quote_asks_for_the_explicit_form(ev: Event) -> None:
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    reply = await ev.h.reply_text(ALICE, "!note", room=room, reply_to="$something", mentions=(BOB,))
    assert "cannot see the message you replied to" in reply and "!note @user:" in reply
    assert "What should I note?" in await ev.h.reply_text(ALICE, "!note", room=room)


async def test_reply_capture_takes_the_quoted_fallback_as_the_speakers_words(ev: Event) -> None:
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    quote = f"> <{BOB}> transit data\n> should be open"
    await ev.h.say(ALICE, "!note", room=room, reply_to="$bobs-message", quoted=quote)
    async with ev.h.bot.db.transaction() as tx:
        (note,) = await ev.notes.store.notes(tx, 3)
    assert note.speaker == BOB and note.text == "transit data\nshould be open"


async def test_catalogue_is_complete_in_both_languages(ev: Event) -> None:
    assert not [m for m in ev.h.bot.catalogue.missing() if m[0].startswith("notes.")]
    assert not [k for k in ev.h.bot.catalogue.placeholders_mismatch() if k.startswith("notes.")]


async def test_replies_follow_the_persons_language(ev: Event) -> None:
    room = ev.session(3, (ALICE,))
    await ev.start(3)
    await ev.h.say(ALICE, "!me lang zh-TW")
    reply = await ev.h.reply_text(ALICE, "!note 很好的討論", room=room)
    assert "已記入議程 #3 的筆記" in reply and "不會公開" in reply


def test_a_quoted_reply_fallback_gives_speaker_and_text() -> None:
    from plugins.notes.parse import quoted_reply

    quote = quoted_reply("> <@bob:test> transit data\n> should be open\n\n!note")
    assert quote is not None and (quote.sender, quote.text) == (
        "@bob:test",
        "transit data\nshould be open",
    )
    assert quoted_reply("!note") is None
    assert quoted_reply("> <not an id> hi\n\n!note") is None


async def test_an_id_without_text_asks_for_the_text(ev: Event) -> None:
    ev.session(3, (ALICE,))
    await ev.start(3)
    assert "What should I note?" in await ev.h.reply_text(ALICE, "!note #3")


async def test_in_a_session_room_a_number_is_text_but_a_hash_id_picks_the_session(
    ev: Event,
) -> None:
    room = ev.session(3, (ALICE,))
    ev.session(4, (ALICE,))
    await ev.start(3)
    await ev.start(4)
    assert "session #3" in await ev.h.reply_text(ALICE, "!note 3 ideas came up", room=room)
    assert "session #4" in await ev.h.reply_text(ALICE, "!note #4 for the other one", room=room)
    assert "session #3" in await ev.h.reply_text(ALICE, "!note #hashtag too", room=room)
    async with ev.h.bot.db.transaction() as tx:
        assert [n.text for n in await ev.notes.store.notes(tx, 3)] == [
            "3 ideas came up",
            "#hashtag too",
        ]
        assert [n.text for n in await ev.notes.store.notes(tx, 4)] == ["for the other one"]


async def test_a_pill_inside_the_sentence_does_not_change_the_speaker(ev: Event) -> None:
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    await ev.h.say(ALICE, "!note we spoke with Bob: next steps", room=room, mentions=(BOB,))
    async with ev.h.bot.db.transaction() as tx:
        notes = await ev.notes.store.notes(tx, 3)
    assert [(n.speaker, n.text) for n in notes] == [(ALICE, "we spoke with Bob: next steps")]


async def test_notes_0_in_a_session_room_asks_for_session_0_not_the_rooms(ev: Event) -> None:
    room = ev.session(3, (ALICE,))
    await ev.start(3)
    await ev.h.reply_text(ALICE, "!note kept for #3", room=room)
    for where in (room, "!lobby:test"):
        reply = await ev.h.reply_text(ALICE, "!notes 0", room=where)
        assert "no scheduled session #0" in reply, reply
        assert "kept for #3" not in reply


async def test_a_full_width_hash_id_picks_the_session_as_a_plain_one_does(ev: Event) -> None:
    room = ev.session(3, (ALICE,))
    ev.session(4, (ALICE,))
    await ev.start(3)
    await ev.start(4)
    assert "session #4" in await ev.h.reply_text(ALICE, "!note ＃4 from a Chinese keyboard", room=room)
    assert "session #4" in await ev.h.reply_text(ALICE, "!note ＃４ in the lobby")


async def test_a_note_typed_and_edited_with_the_full_width_exclamation_mark_is_edited_not_deleted(
    ev: Event,
) -> None:
    room = ev.session(3, (ALICE,))
    await ev.start(3)
    assert "Noted for session #3" in await ev.h.reply_text(ALICE, "！note 初稿", room=room, event_id="$w1")
    await ev.h.edit(ALICE, "$w1", "！note 第二版", room=room)
    async with ev.h.bot.db.transaction() as tx:
        assert [n.text for n in await ev.notes.store.notes(tx, 3)] == ["第二版"]
