"""The digest as Markdown, and the checks that keep non-consented words and hidden names out of it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.i18n import T
from bot.render import escape, neutralise

_MATRIX_IDS = re.compile(r"@[a-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(?::\d+)?")
_ESCAPES = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~&\"'$%^=:;,?/@])")
MIN_WITHHELD_LENGTH = 6  # shorter texts ("yes", "ok") are not recognisable as someone's words


@dataclass(frozen=True)
class Item:
    """One published line: the text, and who said it (None: "a participant")."""

    kind: str  # 'expectation' | 'note' | 'action'
    text: str
    name: str | None
    owner: str | None = None  # an action's owner as shown ("" when it must not be shown)


@dataclass(frozen=True)
class Header:
    session_id: int
    title: str
    when: str
    location: str
    participants: int


def matrix_ids(text: str) -> list[str]:
    return _MATRIX_IDS.findall(text)


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Any of these names as a whole word, in any case (longest first); one letter is no name."""
    unique = sorted({n for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    if not unique:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in unique), re.IGNORECASE)


# Every note is checked against the names of everyone in its session: the same few hundred names come
# back note after note, and building a pattern (escape, join, the re module's cache) cost more than the
# search. Bounded: a compiled name takes about half a kilobyte.
NAME_PATTERNS_KEPT = 1024


@lru_cache(maxsize=NAME_PATTERNS_KEPT)
def _name_pattern(name: str) -> re.Pattern[str] | None:
    return _names_pattern([name])


def names_in(text: str) -> Callable[[str], bool]:
    """Whether a NameFilter with a name would replace something in this text, for the names of everyone
    in a session: most are not in a note at all.
    Between ASCII strings a case-insensitive match is one of the lowered name in the lowered text, so a
    substring test rules those out without the pattern (other strings: Unicode case folding, e.g. the
    long s matching "s", has no such shortcut)."""
    lowered = text.lower() if text.isascii() else None

    def uses(name: str) -> bool:
        if not name:  # no display name: nothing to look for
            return False
        if lowered is not None and name.isascii() and name.lower() not in lowered:
            return False
        pattern = _name_pattern(name)
        return bool(pattern and pattern.search(text))

    return uses


class NameFilter:
    """Replaces the names and Matrix IDs of people who are not quoted by name with a neutral word."""

    def __init__(self, names: Iterable[str], replacement: str) -> None:
        self.replacement = replacement
        self._pattern = _names_pattern(names)

    def apply(self, text: str) -> str:
        return self._pattern.sub(self.replacement, text) if self._pattern else text

    def found(self, text: str) -> bool:
        return bool(self._pattern and self._pattern.search(_plain(text)))


def _plain(markdown: str) -> str:
    return _ESCAPES.sub(r"\1", markdown)


def _normal(text: str) -> str:
    return " ".join(_plain(text).split()).casefold()


Withheld = list[tuple[int, str]]  # (note id, a form its text may take: raw, or with names replaced)


def withheld_found(markdown: str, withheld: Withheld) -> list[int]:
    """Ids of withheld notes whose text shows up in a moderator's Markdown."""
    haystack = _normal(markdown)
    found = {
        note_id
        for note_id, text in withheld
        if len(_normal(text)) >= MIN_WITHHELD_LENGTH and _normal(text) in haystack
    }
    return sorted(found)


def strip_withheld(markdown: str, withheld: Withheld, removed_line: str) -> str:
    """Replace every line that carries a withheld text (after a later withdrawal of consent)."""
    out = []
    for line in markdown.split("\n"):
        out.append(removed_line if withheld_found(line, withheld) else line)
    return "\n".join(out)


def compose(
    header: Header,
    items: list[Item],
    reporter: str | None,
    text: Callable[[T], str],
) -> str:
    """The generated digest (Markdown; every user text escaped). `text` renders catalogue entries."""
    lines = [
        f"### {text(T('notes.digest.title', id=header.session_id, title=header.title))}",
        "",
        text(
            T(
                "notes.digest.facts",
                when=header.when,
                location=header.location,
                count=header.participants,
            )
        ),
    ]
    anonymous = text(T("notes.digest.a_participant"))
    for kind, heading in (
        ("expectation", "notes.digest.expectations"),
        ("note", "notes.digest.notes"),
        ("action", "notes.digest.actions"),
    ):
        chosen = [i for i in items if i.kind == kind]
        lines += ["", f"#### {text(T(heading))}", ""]
        if not chosen:
            lines.append(text(T("notes.digest.none")))
        for item in chosen:
            who = escape(item.name) if item.name else anonymous
            body = escape(item.text).replace("\n", " ")
            line = f"- {body} — {who}"
            if item.owner:
                line += " " + text(T("notes.digest.owner", owner=item.owner))
            lines.append(line)
    lines += ["", f"#### {text(T('notes.digest.reporter'))}", ""]
    lines.append(escape(reporter) if reporter else text(T("notes.digest.no_reporter_line")))
    return "\n".join(lines) + "\n"


def moderator_markdown(markdown: str) -> str:
    """A moderator's edit is Markdown we send as is (the core sanitises the HTML); never ping a room."""
    return neutralise(markdown.strip()) + "\n"
