"""The few kinds of incoming event plugins see, and the one place that turns nio events into them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from nio import (
    Event,
    MegolmEvent,
    ReactionEvent,
    RedactedEvent,
    RedactionEvent,
    RoomMessageEmote,
    RoomMessageNotice,
    RoomMessageText,
    UnknownEvent,
)


@dataclass(frozen=True)
class Incoming:
    event_id: str
    room_id: str
    sender: str
    timestamp_ms: int


@dataclass(frozen=True)
class Message(Incoming):
    """A text message; commands are found in these by the router."""

    body: str
    thread_root: str | None = None
    reply_to: str | None = None
    mentions: tuple[str, ...] = ()  # users pilled in the message (m.mentions / matrix.to links)
    quoted: str | None = None  # a reply's fallback quote ("> <@a:b> text" lines), cut off the body


@dataclass(frozen=True)
class Edit(Incoming):
    """An `m.replace` of an earlier message; never treated as a new command."""

    target: str
    new_body: str


@dataclass(frozen=True)
class Reaction(Incoming):
    target: str
    key: str


@dataclass(frozen=True)
class Redaction(Incoming):
    """Something was removed: a reaction (undo a vote) or a message (delete a note)."""

    target: str


@dataclass(frozen=True)
class Undecryptable(Incoming):
    """An encrypted message the bot could not read; the sender is told why and what to do."""

    session_id: str


def _relates_to(source: dict[str, Any]) -> dict[str, Any]:
    rel = source.get("content", {}).get("m.relates_to")
    return rel if isinstance(rel, dict) else {}


def normalise(room_id: str, event: Any) -> Incoming | None:
    """One nio timeline event → one Incoming (or None for what no plugin cares about)."""
    if not isinstance(event, (Event, MegolmEvent)):
        return None
    event_id = getattr(event, "event_id", None)
    sender = getattr(event, "sender", None)
    if not event_id or not sender:
        return None
    base = dict(event_id=event_id, room_id=room_id, sender=sender, timestamp_ms=event.server_timestamp)
    if isinstance(event, (RoomMessageText, RoomMessageNotice, RoomMessageEmote)):
        if isinstance(event, RoomMessageNotice):
            return None  # notices are bots talking; never answer them (no bot loops)
        rel = _relates_to(event.source)
        if rel.get("rel_type") == "m.replace" and rel.get("event_id"):
            new = event.source["content"].get("m.new_content", {})
            body = new.get("body") if isinstance(new, dict) else None
            return Edit(**base, target=rel["event_id"], new_body=body if isinstance(body, str) else "")
        thread_root = rel.get("event_id") if rel.get("rel_type") == "m.thread" else None
        in_reply = rel.get("m.in_reply_to")
        reply_to = in_reply.get("event_id") if isinstance(in_reply, dict) else None
        if thread_root and rel.get("is_falling_back"):
            reply_to = None  # a thread fallback is not a real reply
        body, quoted = _split_fallback(event.body or "") if reply_to else (event.body or "", None)
        return Message(
            **base, body=body, thread_root=thread_root, reply_to=reply_to, mentions=_mentions(event), quoted=quoted
        )
    if isinstance(event, ReactionEvent):
        return Reaction(**base, target=event.reacts_to, key=event.key)
    if isinstance(event, RedactionEvent):
        target = event.source.get("redacts") or event.source.get("content", {}).get("redacts")
        return Redaction(**base, target=target) if target else None
    if isinstance(event, RedactedEvent):
        # A reaction and its removal in one batch: nio shows only the redacted stub; nothing to do.
        return None
    if isinstance(event, MegolmEvent):
        return Undecryptable(**base, session_id=event.session_id)
    if isinstance(event, UnknownEvent) and event.type == "m.reaction":
        rel = _relates_to(event.source)
        if rel.get("rel_type") == "m.annotation" and rel.get("event_id") and rel.get("key"):
            return Reaction(**base, target=rel["event_id"], key=rel["key"])
    return None


def _split_fallback(body: str) -> tuple[str, str | None]:
    """Older clients put the replied-to message, quoted, above a reply: `!note` must still be seen as the
    command, and the quote is kept apart for the commands that capture it."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body, None
    quoted = []
    while lines and lines[0].startswith(">"):
        quoted.append(lines.pop(0))
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines), "\n".join(quoted)


_PILL = re.compile(r'href="https://matrix\.to/#/(@[^"?/]+:[^"?/]+)"')


def _mentions(event: Any) -> tuple[str, ...]:
    found: list[str] = []
    content = event.source.get("content", {})
    html = content.get("formatted_body")
    if isinstance(html, str):  # first: the pills in the order they were written
        found += [unquote(u) for u in _PILL.findall(html)]
    mentions = content.get("m.mentions")
    if isinstance(mentions, dict) and isinstance(mentions.get("user_ids"), list):
        found += [u for u in mentions["user_ids"] if isinstance(u, str)]
    return tuple(dict.fromkeys(found))


def server_of(user_id: str) -> str:
    return user_id.split(":", 1)[1] if ":" in user_id else ""
