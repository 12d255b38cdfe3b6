"""The end of a session: reporter, draft for the moderators, review, publication and later corrections."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from notes_helpers import (
    ANNOUNCEMENTS,
    MODERATION,
    MODERATOR2,
    Event,
    StandInSessions,
    notes_harness,
)

from bot.config import RoomsConfig
from bot.testing.harness import LOBBY, MODERATOR, ORGANIZER, Harness, make_config
from plugins.badges import Badges
from plugins.notes import DIGEST_TAG, Notes

ALICE, BOB, CAROL = "@alice:test", "@bob:test", "@carol:test"


async def ended_session(ev: Event, consents: dict[str, str] | None = None) -> str:
    """Session #3 with notes by Alice (attributed) and Bob (as given), ended."""
    ev.h.transport.display_names.update({ALICE: "Alice Wong", BOB: "Bob Lin", CAROL: "Carol Wu"})
    room = ev.session(3, (ALICE, BOB, CAROL))
    await ev.start(3)
    for person, choice in (consents or {ALICE: "attributed", BOB: "none"}).items():
        await ev.h.say(person, f"!consent {choice}")
    await ev.h.say(ALICE, "!expect hear how others do it", room=room)
    await ev.h.say(ALICE, "!note open data needs maintainers", room=room, event_id="$alice-note")
    await ev.h.say(BOB, "!note my secret remark", room=room, event_id="$bob-note")
    await ev.h.say(ALICE, f"!action write the wiki page {ALICE}", room=room)
    await ev.end(3)
    return room


async def test_end_draws_a_consenting_reporter_and_announces_it(ev: Event) -> None:
    room = await ended_session(ev)
    said = ev.h.transport.bodies(room)
    assert any("Reporter for session #3 Open data: Alice Wong" in b for b in said)
    lobby = [s for s in ev.h.transport.messages(LOBBY) if "Reporter" in s.content["body"]]
    assert lobby and lobby[0].content["m.mentions"] == {"user_ids": [ALICE]}


async def test_no_reporter_when_nobody_consented(ev: Event) -> None:
    room = await ended_session(ev, {ALICE: "none", BOB: "none"})
    assert any("No reporter for session #3" in b for b in ev.h.transport.bodies(room))


async def test_an_anonymous_reporter_is_not_named_in_the_lobby(ev: Event) -> None:
    room = await ended_session(ev, {ALICE: "anonymous", BOB: "none"})
    assert any("Alice Wong" in b for b in ev.h.transport.bodies(room))  # the session room knows
    lobby = [b for b in ev.h.transport.bodies(LOBBY) if "reporter" in b.lower()]
    assert lobby and "Alice" not in lobby[0] and "alice" not in lobby[0]


async def test_draft_in_moderation_room_respects_consent_and_has_reactions(ev: Event) -> None:
    await ended_session(ev)
    draft = ev.draft()
    body = draft.content["body"]
    assert "open data needs maintainers — Alice Wong" in body
    assert "hear how others do it — Alice Wong" in body
    assert "write the wiki page — Alice Wong (owner: Alice Wong)" in body
    assert "secret" not in body and "Bob" not in body
    assert "Participants: 3" in body and "Room A" in body
    keys = [
        s.content["m.relates_to"]["key"]
        for s in ev.h.transport.sent
        if s.type == "m.reaction" and s.content["m.relates_to"]["event_id"] == draft.event_id
    ]
    assert keys == ["✅", "❌"]


async def test_anonymous_speaker_is_a_participant_in_the_draft(ev: Event) -> None:
    await ended_session(ev, {ALICE: "attributed", BOB: "anonymous"})
    body = ev.draft().content["body"]
    assert "my secret remark — a participant" in body and "Bob" not in body


async def test_approve_publishes_to_announcements_and_a_private_file(tmp_path: Path) -> None:
    h = await notes_harness(tmp_path)
    ev = Event(h)
    try:
        await ended_session(ev)
        assert "published" in await h.reply_text(MODERATOR, "!digest approve 3", room=MODERATION)
        published = h.transport.bodies(ANNOUNCEMENTS)
        assert len(published) == 1 and "open data needs maintainers" in published[0]
        folder = tmp_path / "digests"
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
        text = (folder / "session-0003.md").read_text()
        assert "open data needs maintainers" in text and "secret" not in text
        assert stat.S_IMODE(os.stat(folder / "session-0003.md").st_mode) == 0o600
        assert "[#3 Open data](session-0003.md)" in (folder / "index.md").read_text()
        assert "already decided" in await h.reply_text(ALICE, "!note 3 too late")
    finally:
        await h.close()


async def test_without_an_announcements_room_the_approval_says_the_digest_went_to_the_lobby() -> None:
    config = make_config(rooms=RoomsConfig(lobby=LOBBY, moderation=MODERATION))
    plugins = {"sessions": StandInSessions, "badges": Badges, "notes": Notes}
    h = await Harness.create(config, plugins=plugins)
    try:
        await ended_session(Event(h))
        reply = await h.reply_text(MODERATOR, "!digest approve 3", room=MODERATION)
        assert "published in the lobby" in reply and "announcements room" in reply, reply
        assert any("open data needs maintainers" in b for b in h.transport.bodies(LOBBY))
    finally:
        await h.close()


async def test_quorum_of_two_distinct_moderators() -> None:
    h = await notes_harness(digests={"approvals_required": 2})
    ev = Event(h)
    try:
        await ended_session(ev)
        assert "1 of 2" in await h.reply_text(MODERATOR, "!digest approve 3", room=MODERATION)
        assert "1 of 2" in await h.reply_text(
            MODERATOR, "!digest approve 3", room=MODERATION
        )  # same one again
        assert h.transport.bodies(ANNOUNCEMENTS) == []
        await h.react(MODERATOR2, ev.draft().event_id, "✅", room=MODERATION)
        assert len(h.transport.bodies(ANNOUNCEMENTS)) == 1
    finally:
        await h.close()


async def test_only_moderators_review(ev: Event) -> None:
    await ended_session(ev)
    assert "Only moderators" in await ev.h.reply_text(ALICE, "!digest approve 3")
    await ev.h.react(ALICE, ev.draft().event_id, "✅", room=MODERATION)
    await ev.h.react(ORGANIZER, ev.draft().event_id, "❌", room=MODERATION)
    assert ev.h.transport.bodies(ANNOUNCEMENTS) == []
    assert "draft" in await ev.h.reply_text(MODERATOR, "!digest list")


async def test_reject_tells_the_proposer_the_reason(ev: Event) -> None:
    await ended_session(ev)
    assert "rejected" in await ev.h.reply_text(
        MODERATOR, "!digest reject 3 it names a private project"
    )
    direct_rooms = {room for room, user in ev.h.transport.invites if user == ORGANIZER}
    direct = [
        s
        for s in ev.h.transport.sent
        if s.room_id in direct_rooms and "did not publish" in s.content["body"]
    ]
    assert direct and "Reason: it names a private project" in direct[0].content["body"]
    assert "not a draft any more" in await ev.h.reply_text(MODERATOR, "!digest approve 3")
    assert ev.h.transport.bodies(ANNOUNCEMENTS) == []


async def test_reject_by_reaction(ev: Event) -> None:
    await ended_session(ev)
    await ev.h.react(MODERATOR, ev.draft().event_id, "❌", room=MODERATION)
    assert "rejected" in await ev.h.reply_text(MODERATOR, "!digest list")


async def test_edit_replaces_the_draft_but_refuses_withheld_words_and_hidden_names(
    ev: Event,
) -> None:
    await ended_session(ev, {ALICE: "attributed", BOB: "anonymous", CAROL: "none"})
    await ev.h.say(CAROL, "!note 3 carol's private idea")
    refused = await ev.h.reply_text(
        MODERATOR, "!digest edit 3\n## Summary\n- Carol's private idea", room=MODERATION
    )
    assert "Not saved" in refused and "#" in refused
    refused = await ev.h.reply_text(
        MODERATOR, "!digest edit 3\n## Summary\n- Bob Lin said hi", room=MODERATION
    )
    assert "names someone" in refused
    ok = await ev.h.reply_text(
        MODERATOR, "!digest edit 3\n## Summary\n- maintainers matter @room", room=MODERATION
    )
    assert "replaced" in ok
    shown = await ev.h.reply_text(MODERATOR, "!digest show 3")
    assert "maintainers matter" in shown and "@\u2060room" in shown


async def test_consent_withdrawn_after_publication_corrects_message_and_file(
    tmp_path: Path,
) -> None:
    h = await notes_harness(tmp_path)
    ev = Event(h)
    try:
        await ended_session(ev)
        await h.reply_text(MODERATOR, "!digest approve 3")
        announcement = h.transport.messages(ANNOUNCEMENTS)[0]
        await h.say(ALICE, "!consent anonymous")
        edits = [
            s
            for s in h.transport.messages(ANNOUNCEMENTS)
            if s.content.get("m.relates_to", {}).get("rel_type") == "m.replace"
        ]
        assert edits and edits[-1].content["m.relates_to"]["event_id"] == announcement.event_id
        new = edits[-1].content["m.new_content"]["body"]
        assert "open data needs maintainers — a participant" in new and "Alice" not in new
        assert "Alice" not in (tmp_path / "digests" / "session-0003.md").read_text()
        assert any("was corrected" in b for b in h.transport.bodies(MODERATION))
        await h.say(ALICE, "!consent none")
        new = [s for s in h.transport.messages(ANNOUNCEMENTS)][-1].content["m.new_content"]["body"]
        assert "maintainers" not in new and "hear how others" not in new and "Reporter" in new
    finally:
        await h.close()


async def test_changes_to_notes_update_the_draft_and_reset_approvals() -> None:
    h = await notes_harness(digests={"approvals_required": 2})
    ev = Event(h)
    try:
        room = await ended_session(ev)
        await h.reply_text(MODERATOR, "!digest approve 3")
        await h.redact(ALICE, "$alice-note", room=room)
        edit = h.transport.messages(MODERATION)[-1]
        assert edit.content["m.relates_to"]["rel_type"] == "m.replace"
        assert "maintainers" not in edit.content["m.new_content"]["body"]
        assert "0/2 approvals" in await h.reply_text(MODERATOR, "!digest list")
    finally:
        await h.close()


async def test_redraw_reporter_is_for_organizer_or_proposer(ev: Event) -> None:
    await ended_session(ev, {ALICE: "attributed", BOB: "attributed"})
    assert "Only an organizer or the session's proposer" in await ev.h.reply_text(
        BOB, "!reporter 3"
    )
    before = ev.notes
    async with ev.h.bot.db.transaction() as tx:
        first = (await before.store.digest(tx, 3)).reporter
    assert "drawn again" in await ev.h.reply_text(ORGANIZER, "!reporter 3")
    async with ev.h.bot.db.transaction() as tx:
        second = (await before.store.digest(tx, 3)).reporter
    assert {first, second} == {ALICE, BOB}


async def test_forget_erases_unpublished_notes(ev: Event) -> None:
    await ended_session(ev, {ALICE: "attributed", BOB: "attributed"})
    assert "my secret remark" in ev.draft().content["body"]
    await ev.h.say(BOB, "!forget me confirm")
    async with ev.h.bot.db.transaction() as tx:
        assert BOB not in {n.speaker for n in await ev.notes.store.notes(tx, 3)}
    last = ev.h.transport.messages(MODERATION)[-1].content
    assert "my secret remark" not in last["m.new_content"]["body"]


async def test_retention_purges_raw_notes_after_publication_but_keeps_the_digest(ev: Event) -> None:
    await ended_session(ev)
    await ev.h.reply_text(MODERATOR, "!digest approve 3")
    ev.h.clock.advance(days=29)
    assert await ev.notes.purge_expired() == 0
    ev.h.clock.advance(days=2)
    assert await ev.notes.purge_expired() == 4
    assert "open data needs maintainers" in await ev.h.reply_text(MODERATOR, "!digest show 3")


async def test_notes_preview_shows_what_would_be_published(ev: Event) -> None:
    ev.h.transport.display_names.update({ALICE: "Alice Wong", BOB: "Bob Lin"})
    room = ev.session(3, (ALICE, BOB))
    await ev.start(3)
    await ev.h.say(ALICE, "!consent attributed")
    await ev.h.say(ALICE, "!note public point", room=room)
    await ev.h.say(BOB, "!note private point", room=room)
    preview = await ev.h.reply_text(BOB, "!notes", room=room)
    assert "public point — Alice Wong" in preview and "private point" not in preview


async def test_export_has_notes_and_digests(ev: Event) -> None:
    await ended_session(ev)
    async with ev.h.bot.db.transaction() as tx:
        data = await ev.notes.export(tx)
    assert len(data["notes"]) == 4 and data["digests"][0]["state"] == "draft"


async def test_an_edited_publication_loses_the_lines_of_a_withdrawn_speaker(ev: Event) -> None:
    await ended_session(ev, {ALICE: "attributed", BOB: "attributed"})
    edited = (
        "!digest edit 3\n## Our session\n- Bob said: my secret remark\n- We agreed on maintainers"
    )
    assert "replaced" in await ev.h.reply_text(MODERATOR, edited, room=MODERATION)
    await ev.h.reply_text(MODERATOR, "!digest approve 3", room=MODERATION)
    assert "my secret remark" in ev.h.transport.bodies(ANNOUNCEMENTS)[0]
    await ev.h.say(BOB, "!consent none")
    new = ev.h.transport.messages(ANNOUNCEMENTS)[-1].content["m.new_content"]["body"]
    assert (
        "secret" not in new
        and "removed: consent withdrawn" in new
        and "We agreed on maintainers" in new
    )


async def test_redacting_a_checkmark_takes_the_approval_back() -> None:
    h = await notes_harness(digests={"approvals_required": 2})
    ev = Event(h)
    try:
        await ended_session(ev)
        approval, _ = await h.react(MODERATOR, ev.draft().event_id, "✅", room=MODERATION)
        assert "1/2 approvals" in await h.reply_text(MODERATOR, "!digest list")
        said = await h.redact(MODERATOR, approval, room=MODERATION)
        assert "taken back: 0 of 2" in said[0].content["body"]
        await h.reply_text(MODERATOR2, "!digest approve 3")
        assert h.transport.bodies(ANNOUNCEMENTS) == []
    finally:
        await h.close()


async def test_a_rejected_sessions_raw_notes_are_purged_too(ev: Event) -> None:
    await ended_session(ev)
    await ev.h.reply_text(MODERATOR, "!digest reject 3 off topic")
    rows = await ev.h.bot.db.read("SELECT session_id FROM badges_closed_sessions")
    assert [r["session_id"] for r in rows] == [3]  # badges was told: its consent records age too
    ev.h.clock.advance(days=31)
    assert await ev.notes.purge_expired() == 4


async def test_an_anonymous_reporter_without_a_session_room_is_told_directly(ev: Event) -> None:
    from dataclasses import replace

    ev.session(5, (ALICE,))
    await ev.h.say(ALICE, "!consent anonymous")
    await ev.start(5)
    ev.sessions.infos[5] = replace(ev.sessions.infos[5], room_id=None)
    await ev.end(5)
    direct_rooms = {room for room, user in ev.h.transport.invites if user == ALICE}
    told = [b for r in direct_rooms for b in ev.h.transport.bodies(r)]
    assert any("Reporter for session #5" in b for b in told)
    assert not any("alice" in b.lower() for b in ev.h.transport.bodies(LOBBY) if "#5" in b)


async def test_a_withheld_note_that_is_only_a_name_does_not_block_every_edit(ev: Event) -> None:
    await ended_session(ev, {ALICE: "attributed", BOB: "none", CAROL: "anonymous"})
    await ev.h.say(BOB, "!note 3 Carol Wu")
    edited = "!digest edit 3\n- a participant asked about maintainers"
    assert "replaced" in await ev.h.reply_text(MODERATOR, edited, room=MODERATION)
    assert "a participant asked" in await ev.h.reply_text(MODERATOR, "!digest show 3")




async def test_a_draft_that_outgrows_one_message_shows_it_all_and_shrinks_back() -> None:
    h = await notes_harness(notes={"max_length": 3500})
    ev = Event(h)

    async def draft_parts() -> list[str]:
        """The draft's messages (tagged as the draft) as the moderation room shows them now."""
        async with h.bot.db.transaction() as tx:
            refs = await h.bot.outbox.refs_tagged(tx, f"{DIGEST_TAG}3")
            ids = [await h.bot.outbox.event_id_of(tx, ref) for ref in refs]
        redacted = {event_id for _room, event_id, _reason in h.transport.redactions}
        latest: dict[str, str] = {}
        for s in h.transport.messages(MODERATION):
            relation = s.content.get("m.relates_to", {})
            if relation.get("rel_type") == "m.replace":
                latest[relation["event_id"]] = s.content["m.new_content"]["body"]
            else:
                latest[s.event_id] = s.content["body"]
        return [latest[i] for i in ids if i not in redacted]

    try:
        room = await ended_session(ev)
        (short,) = await draft_parts()
        for i in range(5):  # together too long for one message
            await h.say(ALICE, f"!note point{i} " + "data " * 690, room=room, event_id=f"$long{i}")
        parts = await draft_parts()
        assert len(parts) > 1 and parts[0].startswith("Draft digest of session #3")
        assert all(f"point{i}" in "".join(parts) for i in range(5))
        assert "write the wiki page" in parts[-1] and "Reporter" in parts[-1]  # nothing after the cut lost
        for i in range(5):
            await h.redact(ALICE, f"$long{i}", room=room)
        (only,) = await draft_parts()
        assert "point" not in only and "open data needs maintainers" in only and "Reporter" in only
        assert len(h.transport.redactions) == len(parts) - 1
    finally:
        await h.close()
