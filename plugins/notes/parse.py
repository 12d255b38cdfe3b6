"""Reading what follows `!note`, `!expect` and `!action`: session id, speaker, owner, quoted replies."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.config import MATRIX_ID

_ID = re.compile(r"[#＃]?(\d{1,9})(?:\s+(.*))?", re.DOTALL)  # ＃: full-width, as Chinese input types it
_FALLBACK_SENDER = re.compile(r"^> <(@[^>\s]+)> ?(.*)$")


@dataclass(frozen=True)
class Quote:
    """A reply's fallback (`> <@user:server> text` lines) as some clients still put it in the body."""

    sender: str
    text: str


def split_session(text: str) -> tuple[int | None, str]:
    """`12 text` or `#12 text` → (12, 'text'); otherwise (None, text)."""
    m = _ID.fullmatch(text.strip())
    return (int(m.group(1)), (m.group(2) or "").strip()) if m else (None, text.strip())


def split_speaker(text: str, pill: tuple[str, set[str]] | None = None) -> tuple[str | None, str]:
    """`@user:server: what they said`, typed or as a mention pill. A pill shows its label in the body, so
    `pill` is (the mentioned user, the labels a client may show for them): only a text that starts with
    one of those labels names the speaker ("we spoke with Bob: …" does not)."""
    head, sep, rest = text.partition(": ")
    if not sep or "\n" in head or len(head) > 80:
        return None, text
    candidate = head.strip()
    if MATRIX_ID.match(candidate):
        return candidate, rest.strip()
    if pill is not None and candidate.casefold() in {label.casefold() for label in pill[1]}:
        return pill[0], rest.strip()
    return None, text


def split_owner(
    text: str, mentions: tuple[str, ...], display_name: str | None
) -> tuple[str | None, str]:
    """`!action <text> [@owner]`: a trailing Matrix ID, or a trailing pill (its label ends the body)."""
    words = text.rsplit(None, 1)
    if len(words) == 2 and MATRIX_ID.match(words[1]):
        return words[1], words[0].strip()
    if mentions:
        owner = mentions[-1]
        label = display_name or owner
        if text.endswith(label):
            return owner, text[: -len(label)].strip()
        return owner, text
    return None, text


def quoted_reply(body: str) -> Quote | None:
    """The fallback at the top of a reply's body: its sender and its text (None if the client left it out)."""
    lines = body.split("\n")
    if not lines or not (m := _FALLBACK_SENDER.match(lines[0])):
        return None
    sender, parts = m.group(1), [m.group(2)]
    for line in lines[1:]:
        if not line.startswith(">"):
            break
        parts.append(line[1:].lstrip())
    text = "\n".join(parts).strip()
    return Quote(sender, text) if MATRIX_ID.match(sender) and text else None
