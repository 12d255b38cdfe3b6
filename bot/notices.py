"""Compose translated m.notice messages (plain body + sanitised HTML + m.mentions) and queue them."""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Coroutine, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # C: a str's JSON, quoted
from typing import Any

from .i18n import Catalogue, Raw, T
from .outbox import Outbox, Ref
from .preferences import Preferences
from .render import Rendered, json_members, markdown, sanitise
from .storage import Tx

Text = T | Raw | str
# Matrix events are capped at 65,536 bytes as a whole; leave room for the envelope and encryption.
MAX_CONTENT_BYTES = 28_000

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Html:
    """A message whose HTML differs from its Markdown (an agenda table): both twins given explicitly.

    `html` is sanitised again before sending; `body` must read well alone. A message `joined` from
    others keeps their HTML as `fragments`, each whole (its tags closed), which are sanitised one by
    one: a fragment sent before unchanged (a day of the agenda nobody joined since) is not parsed again.
    Its body is kept as `body_fragments` likewise, so that an unchanged day is not escaped for JSON again.
    """

    body: str = ""  # given, or made of the body fragments
    html: str = ""  # given, or made of the fragments
    fragments: tuple[str, ...] = ()  # what `html` is made of, in order (see `joined`)
    body_fragments: tuple[str, ...] = ()  # what `body` is made of, in order (see `joined`)

    def __post_init__(self) -> None:
        if self.fragments:
            if self.html:
                raise ValueError("an Html is given its html or its fragments, not both")
            object.__setattr__(self, "html", "".join(self.fragments))
        if self.body_fragments:
            if self.body:
                raise ValueError("an Html is given its body or its body fragments, not both")
            object.__setattr__(self, "body", "".join(self.body_fragments))

    @classmethod
    def joined(cls, parts: Sequence[Html], separator: str = "\n\n") -> Html:
        """One message of several (their plain bodies a blank line apart)."""
        fragments = tuple(f for part in parts for f in (part.fragments or (part.html,)))
        bodies: list[str] = []
        for part in parts:
            if bodies:
                bodies.append(separator)
            bodies.extend(part.body_fragments or (part.body,))
        return cls(body_fragments=tuple(bodies), fragments=fragments)

    def sanitised(self) -> str:
        return "".join(self.sanitised_fragments())

    def sanitised_fragments(self) -> list[str]:
        return list(map(sanitise, self.fragments or (self.html,)))

    def _rendered(self) -> tuple[Rendered, str]:
        """As sent: the body and the sanitised HTML, and their JSON members (see `Rendered.json_members`), escaped
        fragment by fragment."""
        fragments = self.sanitised_fragments()
        body_json = "".join(map(_escaped, self.body_fragments or (self.body,)))
        html_json = "".join(map(_escaped, fragments))
        return Rendered(body=self.body, html="".join(fragments)), json_members(f'"{body_json}"', f'"{html_json}"')


@dataclass(frozen=True)
class _To:
    """Where a message goes: a room, or a person's direct chat (whose room the outbox finds, or opens, when
    it sends there: it may not exist while the message waits)."""

    room_id: str | None = None
    user_id: str | None = None

    @property
    def address(self) -> dict[str, str | None]:
        return {"room_id": self.room_id, "user_id": self.user_id}


class Notices:
    def __init__(self, catalogue: Catalogue, outbox: Outbox, preferences: Preferences) -> None:
        self.catalogue = catalogue
        self.outbox = outbox
        self.preferences = preferences

    def text(self, text: Text | Sequence[Text], lang: str) -> str:
        """Markdown for one text or several (joined as paragraphs)."""
        if isinstance(text, (list, tuple)):
            return "\n\n".join([self.catalogue.render(t, lang) for t in text])  # join makes a list anyway
        return self.catalogue.render(text, lang)  # type: ignore[arg-type]

    def content(
        self,
        text: Text | Sequence[Text] | Html,
        lang: str,
        *,
        mentions: Iterable[str] = (),
        reply_to: str | None = None,
        thread_root: str | None = None,
    ) -> list[dict[str, Any]]:
        """One or more m.notice contents (a long text is split at the best boundaries, see `_chunks`)."""
        return [content for content, _json in self._contents(text, lang, mentions, reply_to, thread_root)]

    def _contents(
        self,
        text: Text | Sequence[Text] | Html,
        lang: str,
        mentions: Iterable[str],
        reply_to: str | None,
        thread_root: str | None,
    ) -> list[tuple[dict[str, Any], str]]:
        """`content`'s contents, each with its payload's JSON (as the outbox would write it): made of the
        JSON kept for the rendered text, which a repeated reply (40 % of them) need not escape again."""
        if isinstance(text, Html):
            parts = [text._rendered()]
        else:
            parts = [(rendered, rendered.json_members) for rendered in map(markdown, _chunks(self.text(text, lang)))]
        relation = _relation(reply_to, thread_root)
        relation_json = f',"m.relates_to":{_relation_json(reply_to, thread_root)}' if relation else ""
        mention_list = sorted(set(mentions))
        contents = []
        for i, (rendered, members) in enumerate(parts):
            content: dict[str, Any] = {"msgtype": "m.notice", **rendered.content()}
            mentioned = mention_list if i == 0 else []
            content["m.mentions"] = {"user_ids": mentioned} if mentioned else {}
            mentions_json = f'{{"user_ids":[{",".join(map(encode_basestring, mentioned))}]}}' if mentioned else "{}"
            if relation:
                content["m.relates_to"] = relation
            payload_json = f'{{"content":{{"msgtype":"m.notice",{members},"m.mentions":{mentions_json}{relation_json}}}}}'
            contents.append((content, payload_json))
        return contents

    async def send(
        self,
        tx: Tx,
        room_id: str,
        text: Text | Sequence[Text] | Html,
        *,
        lang: str | None = None,
        mentions: Iterable[str] = (),
        reply_to: str | None = None,
        thread_root: str | None = None,
        tag: str | None = None,
    ) -> Ref:
        """Queue a notice in a room; the language defaults to the room's. Returns the first part's Ref.

        A long text goes out in several parts; the message remembers them (ids only), so that `edit`
        with this Ref replaces them all. Parts an edit adds join the message's reply and thread when it
        has a tag or several parts; an untagged one-part reply that grows gets them without."""
        lang = lang or await self.preferences.language(tx, None, room_id)
        contents = self._contents(text, lang, mentions, reply_to, thread_root)
        return await self._queue(tx, _To(room_id=room_id), contents, tag=tag, reply_to=reply_to, thread_root=thread_root)

    async def direct(self, tx: Tx, user_id: str, text: Text | Sequence[Text], *, tag: str | None = None) -> Ref:
        """Queue a notice in the person's direct chat with the bot (created when first needed), in their
        language. Like `send`'s, the Ref edits the whole message: `edit(tx, None, ref, text)`."""
        lang = await self.preferences.language(tx, user_id)
        return await self._queue(tx, _To(user_id=user_id), self._contents(text, lang, (), None, None), tag=tag)

    async def _queue(
        self,
        tx: Tx,
        to: _To,
        contents: list[tuple[dict[str, Any], str]],
        *,
        tag: str | None,
        reply_to: str | None = None,
        thread_root: str | None = None,
    ) -> Ref:
        """Queue a message's parts, remembering what `edit` needs to find them again (see `send`)."""
        refs: list[Ref] = []
        for content, encoded in contents:  # a loop, not an async comprehension: no coroutine of its own
            refs.append(await self._queue_part(tx, to, content, tag, encoded))
        message = refs[0].row_id
        if len(refs) > 1:
            await tx.executemany(
                "INSERT INTO core_message_parts (message, seq, part) VALUES (?, ?, ?)",
                [(message, seq, ref.row_id) for seq, ref in enumerate(refs) if seq],
            )
        if (reply_to or thread_root) and (tag or len(refs) > 1):
            # Only for messages an edit may grow: tagged ones (plugins keep those to edit later) and ones
            # already in parts. Not for every command reply: that would keep, for each reply, which
            # command it answered, and cost a write per command.
            await tx.execute(
                "INSERT INTO core_message_relations (message, reply_to, thread_root) VALUES (?, ?, ?)",
                (message, reply_to, thread_root),
            )
        return refs[0]

    def _queue_part(
        self, tx: Tx, to: _To, content: dict[str, Any], tag: str | None, encoded: str | None = None
    ) -> Coroutine[Any, Any, Ref]:
        """The enqueue to await (handed back, not awaited here: a coroutine less per message)."""
        kind = "direct" if to.user_id else "message"
        return self.outbox.enqueue(
            tx, kind, room_id=to.room_id, user_id=to.user_id, payload={"content": content}, encoded=encoded, tag=tag
        )

    async def edit(
        self,
        tx: Tx,
        room_id: str | None,
        target: str | Ref,
        text: Text | Sequence[Text] | Html,
        *,
        lang: str | None = None,
    ) -> Ref:
        """Replace an earlier message's content (m.replace); returns the Ref of the first part's edit.

        With the Ref `send` or `direct` returned, the whole message follows the new text: its parts are
        edited in order, parts the new text needs beyond them are sent right after (in the message's
        thread and reply, with its tag), and parts it no longer needs are redacted. Such a Ref knows where
        its message went, so `room_id` may be None; a direct message is edited in the person's chat and
        language. That chat may not exist yet when the edit is queued: the edit is queued behind the
        message, and its room is looked up when it is sent, once the message has opened the chat. If the
        message could never be sent (the chat could not be opened), its edit is given up and logged, as
        any edit of a message never sent; parts the edit adds are still sent.

        With a plain event id only that one event can be known, and `room_id` must say where it is: it
        gets the new text's first part, and anything beyond is dropped. So does a direct message sent in
        parts by a version that did not remember a direct message's parts: only its first part follows."""
        if not isinstance(target, Ref):
            if room_id is None:
                raise ValueError(f"an edit of {target} by event id needs the event's room")
            contents = self.content(text, lang or await self.preferences.language(tx, None, room_id))
            if len(contents) > 1:
                log.warning("edit of %s by event id: %d later part(s) dropped", target, len(contents) - 1)
            return await self._edit_part(tx, _To(room_id=room_id), target, contents[0])
        to = await self._to(tx, target, room_id)
        contents = self.content(text, lang or await self.preferences.language(tx, to.user_id, to.room_id))
        parts = await self._parts(tx, target)
        edits = [
            await self._edit_part(tx, to, part, content)
            for part, content in zip(parts, contents, strict=False)  # the shorter decides; the rest below
        ]
        if len(contents) > len(parts):
            await self._add_parts(tx, to, target, contents, start=len(parts))
        elif len(contents) < len(parts):
            for part in parts[len(contents):]:
                await self._redact(tx, to, part)
            await tx.execute(
                "DELETE FROM core_message_parts WHERE message = ? AND seq >= ?", (target.row_id, len(contents))
            )
        return edits[0]

    async def _to(self, tx: Tx, message: Ref, room_id: str | None) -> _To:
        """Where a queued message went: its person's direct chat, or its room."""
        if user_id := await self.outbox.direct_user_of(tx, message):
            return _To(user_id=user_id)
        room_id = await self.outbox.room_of(tx, message) or room_id
        if room_id is None:
            raise ValueError(f"no room known for message {message.row_id}")
        return _To(room_id=room_id)

    async def _edit_part(self, tx: Tx, to: _To, target: str | Ref, content: dict[str, Any]) -> Ref:
        return await self.outbox.enqueue(tx, "edit", **to.address, payload={"content": content, **_target(target)})

    async def _parts(self, tx: Tx, message: Ref) -> list[Ref]:
        """The parts a message shows now, in order (the first is the message itself)."""
        rows = await tx.fetchall(
            "SELECT part FROM core_message_parts WHERE message = ? ORDER BY seq", (message.row_id,)
        )
        return [message, *(Ref(r["part"]) for r in rows)]

    async def _add_parts(self, tx: Tx, to: _To, message: Ref, contents: list[dict[str, Any]], *, start: int) -> None:
        """Send contents[start:] as new parts of the message, as `send` or `direct` would have sent them."""
        relation = await tx.fetchone(
            "SELECT reply_to, thread_root FROM core_message_relations WHERE message = ?", (message.row_id,)
        )
        related = _relation(relation["reply_to"], relation["thread_root"]) if relation else None
        tag = await self.outbox.tag_of(tx, message)
        for seq, content in enumerate(contents[start:], start):
            if related:
                content = {**content, "m.relates_to": related}
            ref = await self._queue_part(tx, to, content, tag)
            await tx.execute(
                "INSERT OR REPLACE INTO core_message_parts (message, seq, part) VALUES (?, ?, ?)",
                (message.row_id, seq, ref.row_id),
            )

    async def thread_of(self, tx: Tx, message: Ref) -> str | None:
        """The thread a tagged message was sent in (None outside a thread): an answer about it, to a
        reaction or an edit, belongs in the same thread."""
        return await tx.fetchval("SELECT thread_root FROM core_message_relations WHERE message = ?", (message.row_id,))

    async def react(self, tx: Tx, room_id: str, target: str | Ref, key: str) -> Ref:
        return await self.outbox.enqueue(tx, "reaction", room_id=room_id, payload={"key": key, **_target(target)})

    async def redact(self, tx: Tx, room_id: str, target: str | Ref, reason: str | None = None) -> Ref:
        return await self._redact(tx, _To(room_id=room_id), target, reason)

    async def _redact(self, tx: Tx, to: _To, target: str | Ref, reason: str | None = None) -> Ref:
        return await self.outbox.enqueue(tx, "redact", **to.address, payload={"reason": reason, **_target(target)})

    async def file(
        self,
        tx: Tx,
        room_id: str,
        data: bytes,
        *,
        filename: str,
        mimetype: str,
        reply_to: str | None = None,
        thread_root: str | None = None,
    ) -> Ref:
        content: dict[str, Any] = {
            "msgtype": "m.file",
            "body": filename,
            "filename": filename,
            "info": {"mimetype": mimetype},
            "m.mentions": {},
        }
        relation = _relation(reply_to, thread_root)
        if relation:
            content["m.relates_to"] = relation
        payload = {"content": content, "filename": filename, "mimetype": mimetype}
        return await self.outbox.enqueue(tx, "file", room_id=room_id, payload=payload, blob=data)

    async def invite(self, tx: Tx, room_id: str, user_id: str) -> Ref:
        return await self.outbox.enqueue(tx, "invite", room_id=room_id, user_id=user_id)

    async def put_state(self, tx: Tx, room_id: str, event_type: str, content: dict[str, Any], state_key: str = "") -> Ref:
        return await self.outbox.enqueue(
            tx, "state", room_id=room_id, payload={"type": event_type, "content": content, "state_key": state_key}
        )


def _target(target: str | Ref) -> dict[str, Any]:
    return {"target_ref": target.row_id} if isinstance(target, Ref) else {"target": target}


def _relation(reply_to: str | None, thread_root: str | None) -> dict[str, Any] | None:
    if thread_root:
        rel: dict[str, Any] = {"rel_type": "m.thread", "event_id": thread_root, "is_falling_back": True}
        rel["m.in_reply_to"] = {"event_id": reply_to or thread_root}
        return rel
    if reply_to:
        return {"m.in_reply_to": {"event_id": reply_to}}
    return None


def _relation_json(reply_to: str | None, thread_root: str | None) -> str:
    """`_relation` as encode_json writes it, in two string operations (the C encoder takes 12,000
    instructions to set up and write so small a value)."""
    if thread_root:
        replied = encode_basestring(reply_to or thread_root)
        return f'{{"rel_type":"m.thread","event_id":{encode_basestring(thread_root)},"is_falling_back":true,"m.in_reply_to":{{"event_id":{replied}}}}}'
    return f'{{"m.in_reply_to":{{"event_id":{encode_basestring(reply_to)}}}}}'


@lru_cache(maxsize=128)
def _escaped(fragment: str) -> str:
    """A fragment's JSON string, without its quotes. JSON escapes character by character, so a text's JSON
    is that of its fragments, end to end (an agenda's days: most are as they were)."""
    return encode_basestring(fragment)[1:-1]


def _chunks(source: str) -> list[str]:
    """Split Markdown into parts that each fit in one event, each cut at the best boundary near the limit.

    Best first: a paragraph break; a line break before a new line or list item (not inside an item); any
    line break; a space; after CJK punctuation. Only when none is left, between two characters (zh-TW is
    written without spaces, and a 100 KB word must go somehow). Never between a backslash and what it
    escapes, nor inside a character built of several code points (an accent, an emoji sequence, a flag).
    A boundary in the first half of the room left counts only when the latter half has none short of a
    cut inside a word, so that parts do not come out nearly empty. Of a kind's boundaries the latest whose
    two sides read as the text did is taken: a cut inside **bold**, a link, code or before "- " would show
    its syntax as text. If none reads alike within a few tries, the best boundary is taken anyway.
    """
    if len(source) <= _SURELY_FITS or _size(source) <= MAX_CONTENT_BYTES:
        return [source]
    parts: list[str] = []
    rest = source.strip()
    while _size(rest) > MAX_CONTENT_BYTES:
        cut = _cut(rest, _fits(rest))
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()  # a part starting with indentation could become a code block
    if rest:
        parts.append(rest)
    return parts


# JSON spells a character in at most 12 bytes (an astral one as two \uXXXX escapes): text this short
# fits whatever it holds, without encoding it to find out (most replies).
_SURELY_FITS = MAX_CONTENT_BYTES // (2 * 12)


def _size(s: str) -> int:
    # HTML roughly doubles the text; JSON escaping of non-ASCII can triple it.
    return len(json.dumps(s)) * 2


def _fits(text: str) -> int:
    """The length of the longest start of `text` within MAX_CONTENT_BYTES (as `_size` counts)."""
    lo, hi = 0, min(len(text), MAX_CONTENT_BYTES // 2)  # a character is at least one byte of JSON
    while lo < hi:  # json.dumps of a slice is C-fast; adding up characters in Python was most of the cost
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if _size(text[:mid]) <= MAX_CONTENT_BYTES else (lo, mid - 1)
    return lo


# Boundaries, best first: white space is cut before, CJK punctuation after (with its closing quotes).
_BOUNDARIES = [
    re.compile(r"(?=\n\n)"),
    re.compile(r"(?=\n\S)"),
    re.compile(r"(?=\n)"),
    re.compile(r"(?=[ \t\u3000])"),
    re.compile(r"[。！？][」』）]*"),
    re.compile(r"[；，、：][」』）]*"),
]
_TRIES = 12  # renderings per cut at most: a cut is rare, but parsing is most of a message's cost
_WINDOW = 300  # characters each side of a cut that a span of Markdown opened before it may close in


def _cut(text: str, end: int) -> int:
    """Where to cut `text`, whose first `end` characters fit (see `_chunks`)."""
    candidates = _candidates(text, end)
    first = None
    for tries, i in enumerate(candidates):
        first = i if first is None else first
        if tries == _TRIES:
            break
        if _reads_alike(text, i):
            return i
    return end if first is None else first


def _candidates(text: str, end: int) -> Iterator[int]:
    """Places to cut, best first (see `_chunks`)."""
    half = end // 2
    whole = _whole(text, end)
    found = [[i for m in p.finditer(text, 1, end + 1) if whole[i := m.end()]] for p in _BOUNDARIES]
    for at in found:
        yield from _latest_first([i for i in at if i > half])
    for at in found:
        yield from _latest_first([i for i in at if i <= half])
    yield from _latest_first([i for i in range(half + 1, end + 1) if whole[i]])  # inside a word: the last resort


def _latest_first(found: list[int]) -> list[int]:
    """The latest, then ever further back (1st, 2nd, 4th, 8th … from the end): a few tries reach past a
    long span of bold or a link, whatever its length."""
    picks, k = [], 1
    while k <= len(found):
        picks.append(found[-k])
        k *= 2
    return picks


def _whole(text: str, end: int) -> list[bool]:
    """Whether a cut before text[i] (0 < i ≤ end < len(text)) keeps escapes and characters whole."""
    whole = [False] * (end + 1)
    backslashes = flags = 0  # how many of these stand right before text[i]
    for i in range(1, end + 1):
        before, after = text[i - 1], text[i]
        if before != "\\" and before < "\u0300" and after < "\u0300":  # most text: nothing below applies
            backslashes = flags = 0
            whole[i] = True
            continue
        backslashes = backslashes + 1 if before == "\\" else 0
        flags = flags + 1 if _is_flag_half(before) else 0
        whole[i] = not (
            backslashes % 2  # the backslash escapes text[i]
            or (flags % 2 and _is_flag_half(after))  # a flag is two regional indicators
            or "\u200d" in (before, after)  # an emoji sequence's joiner
            or "\ufe00" <= after <= "\ufe0f"  # a variation selector
            or "\U0001f3fb" <= after <= "\U0001f3ff"  # a skin tone
            or unicodedata.category(after) in ("Mn", "Mc", "Me")  # an accent or other combining mark
        )
    return whole


def _is_flag_half(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _reads_alike(text: str, i: int) -> bool:
    """Whether the two sides of a cut before text[i], rendered apart, read as they did together: the same
    letters in their plain bodies, and a cut inside a line starts no list, heading or quote."""
    head, tail = text[max(0, i - _WINDOW) : i], text[i : i + _WINDOW]
    alone = markdown(tail.lstrip())
    gap = head[len(head.rstrip()) :] + tail[: len(tail) - len(tail.lstrip())]  # the white space cut at
    if alone.html and not alone.html.startswith("<p>") and "\n" not in gap:
        return False

    def letters(rendered: Rendered) -> str:
        return "".join(rendered.body.split())

    return letters(markdown(head.rstrip())) + letters(alone) == letters(markdown(head + tail))
