"""Privacy of the notes beyond the digest's review: deleted consent, and names a person no longer uses."""

from __future__ import annotations

from notes_helpers import MODERATION, Event

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
