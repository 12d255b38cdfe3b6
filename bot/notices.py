"""Compose translated m.notice messages (plain body + sanitised HTML + m.mentions) and queue them."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .i18n import Catalogue, Raw, T
from .outbox import Outbox, Ref
from .preferences import Preferences
from .render import Rendered, markdown
from .storage import Tx

Text = T | Raw | str
# Matrix events are capped at 65,536 bytes as a whole; leave room for the envelope and encryption.
MAX_CONTENT_BYTES = 28_000

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Html:
    """A message whose HTML differs from its Markdown (an agenda table): both twins given explicitly.

    `html` is sanitised again before sending; `body` must read well alone.
    """

    body: str
    html: str


class Notices:
    def __init__(self, catalogue: Catalogue, outbox: Outbox, preferences: Preferences) -> None:
        self.catalogue = catalogue
        self.outbox = outbox
        self.preferences = preferences

    def text(self, text: Text | Sequence[Text], lang: str) -> str:
        """Markdown for one text or several (joined as paragraphs)."""
        if isinstance(text, (list, tuple)):
            return "\n\n".join(self.catalogue.render(t, lang) for t in text)
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
        """One or more m.notice contents (long texts are split at paragraph breaks)."""
        if isinstance(text, Html):
            from .render import sanitise

            parts = [Rendered(body=text.body, html=sanitise(text.html))]
        else:
            parts = [markdown(chunk) for chunk in _chunks(self.text(text, lang))]
        contents = []
        mention_list = sorted(set(mentions))
        for i, rendered in enumerate(parts):
            content: dict[str, Any] = {"msgtype": "m.notice", **rendered.content()}
            content["m.mentions"] = {"user_ids": mention_list} if mention_list and i == 0 else {}
            relation = _relation(reply_to, thread_root)
            if relation:
                content["m.relates_to"] = relation
            contents.append(content)
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
        refs = [
            await self.outbox.enqueue(tx, "message", room_id=room_id, payload={"content": c}, tag=tag)
            for c in self.content(text, lang, mentions=mentions, reply_to=reply_to, thread_root=thread_root)
        ]
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

    async def direct(self, tx: Tx, user_id: str, text: Text | Sequence[Text], *, tag: str | None = None) -> Ref:
        """Queue a notice in the person's direct chat with the bot (created when first needed)."""
        lang = await self.preferences.language(tx, user_id)
        refs = [
            await self.outbox.enqueue(tx, "direct", user_id=user_id, payload={"content": c}, tag=tag)
            for c in self.content(text, lang, mentions=())
        ]
        return refs[0]

    async def edit(
        self, tx: Tx, room_id: str, target: str | Ref, text: Text | Sequence[Text] | Html, *, lang: str | None = None
    ) -> Ref:
        """Replace an earlier message's content (m.replace); returns the Ref of the first part's edit.

        With the Ref `send` returned, the whole message follows the new text: its parts are edited in
        order, parts the new text needs beyond them are sent right after (in the message's thread and
        reply, with its tag), and parts it no longer needs are redacted. With a plain event id only that
        one event can be known: it gets the new text's first part, and anything beyond is dropped."""
        lang = lang or await self.preferences.language(tx, None, room_id)
        contents = self.content(text, lang)
        if not isinstance(target, Ref):
            if len(contents) > 1:
                log.warning("edit of %s by event id: %d later part(s) dropped", target, len(contents) - 1)
            return await self._edit_part(tx, room_id, target, contents[0])
        parts = await self._parts(tx, target)
        edits = [
            await self._edit_part(tx, room_id, part, content)
            for part, content in zip(parts, contents, strict=False)  # the shorter decides; the rest below
        ]
        if len(contents) > len(parts):
            await self._add_parts(tx, room_id, target, contents, start=len(parts))
        elif len(contents) < len(parts):
            for part in parts[len(contents):]:
                await self.redact(tx, room_id, part)
            await tx.execute(
                "DELETE FROM core_message_parts WHERE message = ? AND seq >= ?", (target.row_id, len(contents))
            )
        return edits[0]

    async def _edit_part(self, tx: Tx, room_id: str, target: str | Ref, content: dict[str, Any]) -> Ref:
        return await self.outbox.enqueue(tx, "edit", room_id=room_id, payload={"content": content, **_target(target)})

    async def _parts(self, tx: Tx, message: Ref) -> list[Ref]:
        """The parts a message shows now, in order (the first is the message itself)."""
        rows = await tx.fetchall(
            "SELECT part FROM core_message_parts WHERE message = ? ORDER BY seq", (message.row_id,)
        )
        return [message, *(Ref(r["part"]) for r in rows)]

    async def _add_parts(
        self, tx: Tx, room_id: str, message: Ref, contents: list[dict[str, Any]], *, start: int
    ) -> None:
        """Send contents[start:] as new parts of the message, as `send` would have sent them."""
        relation = await tx.fetchone(
            "SELECT reply_to, thread_root FROM core_message_relations WHERE message = ?", (message.row_id,)
        )
        related = _relation(relation["reply_to"], relation["thread_root"]) if relation else None
        tag = await self.outbox.tag_of(tx, message)
        for seq, content in enumerate(contents[start:], start):
            if related:
                content = {**content, "m.relates_to": related}
            ref = await self.outbox.enqueue(tx, "message", room_id=room_id, payload={"content": content}, tag=tag)
            await tx.execute(
                "INSERT OR REPLACE INTO core_message_parts (message, seq, part) VALUES (?, ?, ?)",
                (message.row_id, seq, ref.row_id),
            )

    async def react(self, tx: Tx, room_id: str, target: str | Ref, key: str) -> Ref:
        return await self.outbox.enqueue(tx, "reaction", room_id=room_id, payload={"key": key, **_target(target)})

    async def redact(self, tx: Tx, room_id: str, target: str | Ref, reason: str | None = None) -> Ref:
        return await self.outbox.enqueue(tx, "redact", room_id=room_id, payload={"reason": reason, **_target(target)})

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


def _chunks(source: str) -> list[str]:
    """Split Markdown at paragraph breaks so that each part fits in one event."""

    def size(s: str) -> int:
        # HTML roughly doubles the text; JSON escaping of non-ASCII can triple it.
        return len(json.dumps(s)) * 2

    if size(source) <= MAX_CONTENT_BYTES:
        return [source]
    parts: list[str] = []
    current = ""
    for para in source.split("\n\n"):
        while size(para) > MAX_CONTENT_BYTES:  # one huge paragraph: hard cut
            cut = len(para) // 2
            head, para = para[:cut], para[cut:]
            if current:
                parts.append(current)
                current = ""
            parts.append(head)
        candidate = f"{current}\n\n{para}" if current else para
        if size(candidate) > MAX_CONTENT_BYTES and current:
            parts.append(current)
            current = para
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts
