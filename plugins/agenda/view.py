"""The agenda grid of one day as messages: an HTML table and a plain twin (one line per session).

Each message stays well under the homeserver's event size limit; a day too big for one is continued,
and days small enough share one (`packed`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.notices import Html
from bot.render import neutralise

from .grid import clock_range
from .store import Location, Slot

_HTML_SPECIAL = re.compile(r"[&<>\"']")  # what html.escape changes
MAX_MESSAGE_BYTES = 24_000  # body + formatted_body; Matrix refuses events over 65,536 bytes in all


class Cell(NamedTuple):
    """A tuple, not a dataclass: the cached renders below hash every cell of a grid at every agenda, and
    a tuple's hash runs in C (a grid of 2,000 sessions: about 1 ms instead of 5)."""

    topic_id: int
    title: str
    joined: int
    cap: int

    def text(self) -> str:
        return f"#{self.topic_id} {neutralise(self.title)} ({self.joined}/{self.cap})"


@dataclass(frozen=True)
class Words:
    """The translated words of a grid, already in the reader's language (plain text)."""

    heading: str  # "Agenda 2026-11-28 — times in Asia/Taipei"
    continued: str  # "(continued)"
    time: str  # first column's header
    free: str  # a slot without sessions, in the plain twin


@dataclass(frozen=True)
class _Row:
    lines: tuple[str, ...]
    html: str
    size: int  # bytes in a message: the lines (each with its newline) and the HTML


def _slot_head(slot: Slot, tz: ZoneInfo) -> str:
    head = f"{slot.code} {clock_range(slot, tz)}"
    return f"{head} {neutralise(slot.label)}" if slot.label else head


@lru_cache(maxsize=128)
def _row(
    slot: Slot,
    names: tuple[str, ...],
    row_cells: tuple[Cell | None, ...],
    tz: ZoneInfo,
    words: Words,
) -> _Row:
    """A row as text and HTML, kept while its cells stay the same: a seat taken changes one row."""
    head = _slot_head(slot, tz)
    # Each cell's text once, for the plain line and the table (a day can have thousands of cells).
    texts = ["" if cell is None else cell.text() for cell in row_cells]  # a cell's text is never empty
    lines = tuple(f"{head} · {name} · {text}" for name, text in zip(names, texts, strict=True) if text)
    label = f"<br>{html.escape(neutralise(slot.label))}" if slot.label else ""
    # Most rows have nothing to escape: one search of the row instead of an escape per cell.
    if _HTML_SPECIAL.search("".join(texts)):
        texts = [html.escape(text) for text in texts]
    tds = f"<td>{'</td><td>'.join(texts)}</td>" if texts else ""  # no location yet: no column
    row_html = f"<tr><td><b>{slot.code}</b> {clock_range(slot, tz)}{label}</td>{tds}</tr>"
    lines = lines or (f"{head} · {words.free}",)
    size = len("\n".join(lines).encode()) + 1 + len(row_html.encode())  # each line with its newline
    return _Row(lines, row_html, size)


def day_messages(
    slots: Sequence[Slot],
    locations: list[Location],
    cells: dict[tuple[int, int], Cell],
    tz: ZoneInfo,
    words: Words,
) -> list[Html]:
    """One day's grid: slots as rows, locations as columns; split in parts when it would be too big."""
    names = tuple(neutralise(loc.name) for loc in locations)
    rows = tuple((slot, tuple(cells.get((slot.id, loc.id)) for loc in locations)) for slot in slots)
    return list(_day_messages(rows, names, tz, words))


@lru_cache(maxsize=16)
def _day_messages(
    rows: tuple[tuple[Slot, tuple[Cell | None, ...]], ...],
    names: tuple[str, ...],  # the locations', neutralised, in column order
    tz: ZoneInfo,
    words: Words,
) -> tuple[Html, ...]:
    """A day's messages, kept while every cell stays the same: 130 people ask for the same agenda in the
    minutes after it is posted (Html is frozen: callers share it)."""
    header = "".join(f"<th>{html.escape(name)}</th>" for name in names)
    thead = f"<thead><tr><th>{html.escape(words.time)}</th>{header}</tr></thead>"

    def message(heading: str, rows: list[_Row]) -> Html:
        body = "\n".join([heading, *(line for r in rows for line in r.lines)])
        table = f"<h4>{html.escape(heading)}</h4><table>{thead}<tbody>{''.join(r.html for r in rows)}</tbody></table>"
        return Html(body=body, html=table)

    messages: list[Html] = []
    current: list[_Row] = []
    heading = words.heading
    used = 0

    def frame_size(heading: str) -> int:
        return len(message(heading, []).html.encode()) + len(heading.encode())

    frame = frame_size(heading)
    for row in (_row(slot, names, row_cells, tz, words) for slot, row_cells in rows):
        if current and frame + used + row.size > MAX_MESSAGE_BYTES:
            messages.append(message(heading, current))
            current, used, heading = [], 0, f"{words.heading} {words.continued}"
            frame = frame_size(heading)
        current.append(row)
        used += row.size
    messages.append(message(heading, current))
    return tuple(messages)


def packed(messages: Iterable[Html]) -> list[Html]:
    """Consecutive messages joined into as few as stay under the size limit, in order: a three-day
    agenda of small days is one message (one notification), not three."""
    groups: list[list[Html]] = []
    used = 0
    for message in messages:
        size = _size(message)
        if groups and used + size <= MAX_MESSAGE_BYTES:
            groups[-1].append(message)
            used += size
        else:
            groups.append([message])
            used = size
    # Joined, each day's table stays a fragment of its own: the sanitiser sees again only a changed day.
    return [group[0] if len(group) == 1 else Html.joined(group) for group in groups]


@lru_cache(maxsize=64)  # the days' messages are themselves kept (see `_day_messages`): sized once
def _size(message: Html) -> int:
    return len(message.body.encode()) + len(message.html.encode()) + 2
