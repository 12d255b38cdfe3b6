"""Property over whole sessions: random notes, speakers, consents and withdrawals (before the end, while in
draft, after publication). No text of a person without consent ever appears in a draft or a publication,
and the name, display name and Matrix ID of anyone not quoted by name never appear."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st
from notes_helpers import ANNOUNCEMENTS, MODERATION, Event, notes_harness

from bot.testing.harness import MODERATOR

PEOPLE = {"@xan:test": "Xandra Quill", "@yus:test": "Yusuf Orrin", "@zen:test": "Zenobia Pike"}
IDS = tuple(PEOPLE)
KEYS = {"✅": "attributed", "👤": "anonymous", "🚫": "none"}
WORDS = (
    "open",
    "data",
    "transit",
    "map",
    "Xandra Quill",
    "@yus:test",
    "zenobia pike",
    "wiki_*",
    "[x](y)",
)

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)
person = st.sampled_from(IDS)
consent_op = st.one_of(
    st.tuples(st.just("consent"), person, st.sampled_from(tuple(KEYS.values()))),
    st.tuples(st.just("react"), person, st.sampled_from(tuple(KEYS))),
    st.tuples(st.just("unreact"), st.integers(0, 20)),
)
note_op = st.one_of(
    st.tuples(st.just("note"), person, st.one_of(st.none(), person), words),
    st.tuples(st.just("expect"), person, words),
    st.tuples(st.just("action"), person, st.one_of(st.none(), person), words),
)


class Model:
    """What each person answered, and whose words each note is."""

    def __init__(self) -> None:
        self.default: dict[str, str] = {}
        self.answer: dict[str, tuple[str, str]] = {}
        self.reactions: list[tuple[str, str]] = []
        self.speakers: dict[str, str] = {}  # note marker -> speaker

    def consent(self, who: str) -> str:
        return self.answer[who][0] if who in self.answer else self.default.get(who, "none")


async def apply(ev: Event, model: Model, room: str, prompt: str, op: tuple) -> None:
    h = ev.h
    kind = op[0]
    if kind == "consent":
        await h.say(op[1], f"!consent {op[2]}")
        model.default[op[1]] = op[2]
    elif kind == "react":
        rid, _ = await h.react(op[1], prompt, op[2], room=room)
        model.reactions.append((rid, op[1]))
        model.answer[op[1]] = (KEYS[op[2]], rid)
    elif kind == "unreact":
        if model.reactions:
            rid, who = model.reactions[op[1] % len(model.reactions)]
            await h.redact(who, rid, room=room)
            if model.answer.get(who, ("", ""))[1] == rid:
                del model.answer[who]
    else:
        marker = f"k{len(model.speakers)}z"
        text = " ".join(op[-1]) + " " + marker
        author = op[1]
        if kind == "note":
            speaker = op[2] or author
            await h.say(author, f"!note {op[2]}: {text}" if op[2] else f"!note {text}", room=room)
        elif kind == "expect":
            speaker = author
            await h.say(author, f"!expect {text}", room=room)
        else:
            speaker = author
            await h.say(author, f"!action {text}" + (f" {op[2]}" if op[2] else ""), room=room)
        model.speakers[marker] = speaker


def check(text: str, model: Model, where: str) -> None:
    for marker, speaker in model.speakers.items():
        if model.consent(speaker) == "none":
            assert not re.search(rf"\b{marker}\b", text), (
                f"{where}: words of {speaker} without consent"
            )
    for user, name in PEOPLE.items():
        if model.consent(user) != "attributed":
            for shown in (user, name):
                assert not re.search(rf"(?<!\w){re.escape(shown)}(?!\w)", text, re.IGNORECASE), (
                    f"{where}: {shown} is named but not consented ({model.consent(user)})"
                )


def latest(ev: Event, room: str, original) -> str:
    """The text of a message now: its last edit, if any."""
    edits = [
        s
        for s in ev.h.transport.messages(room)
        if s.content.get("m.relates_to", {}).get("rel_type") == "m.replace"
        and s.content["m.relates_to"]["event_id"] == original.event_id
    ]
    return edits[-1].content["m.new_content"]["body"] if edits else original.content["body"]


async def run_session(before: list, in_draft: list, published: list, data_dir: Path) -> None:
    h = await notes_harness(data_dir, notes={"per_minute": 1000})
    ev = Event(h)
    try:
        h.transport.display_names.update(PEOPLE)
        room = ev.session(3, IDS)
        prompt = (await ev.start(3))[0].event_id
        model = Model()
        for op in before:
            await apply(ev, model, room, prompt, op)
        check(await h.reply_text(IDS[0], "!notes", room=room), model, "preview")
        await ev.end(3)
        draft = ev.draft()
        check(latest(ev, MODERATION, draft), model, "draft")
        for op in in_draft:
            await apply(ev, model, room, prompt, op)
            check(latest(ev, MODERATION, draft), model, "draft after a change")
        await h.say(MODERATOR, "!digest approve 3", room=MODERATION)
        announcement = h.transport.messages(ANNOUNCEMENTS)[0]
        check(latest(ev, ANNOUNCEMENTS, announcement), model, "publication")
        for op in published:
            await apply(ev, model, room, prompt, op)
            check(latest(ev, ANNOUNCEMENTS, announcement), model, "publication after a withdrawal")
            check((data_dir / "digests" / "session-0003.md").read_text(), model, "file")
    finally:
        await h.close()


@settings(max_examples=40, deadline=None)
@given(
    everyone=st.lists(st.sampled_from(tuple(KEYS.values())), min_size=3, max_size=3),
    before=st.lists(st.one_of(consent_op, note_op), max_size=10),
    in_draft=st.lists(consent_op, max_size=3),
    published=st.lists(consent_op, min_size=1, max_size=3),
)
def test_no_unconsented_words_or_names_in_drafts_or_publications(
    everyone, before, in_draft, published
) -> None:
    # Everyone's default first, so that most runs have words to publish and then to withdraw.
    start = [("consent", who, choice) for who, choice in zip(IDS, everyone, strict=True)]
    with TemporaryDirectory() as tmp:
        asyncio.run(run_session(start + before, in_draft, published, Path(tmp)))
