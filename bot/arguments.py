"""Typed command arguments: each parses one token (or the rest of the line) and names itself in usage."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .config import MATRIX_ID
from .errors import NotFound, UsageError
from .i18n import T

# A str pattern's \s is str.isspace(): the same spaces split() splits at.
_SPACES = re.compile(r"\s*")
_TOKEN = re.compile(r"\S+")
_NUMBER = re.compile(r"\d{1,9}")
# Chinese input methods type full-width signs and digits (＃１２); \d takes the digits already.
_ID = re.compile(r"[#＃]?(\d+)")
# Control characters and bidirectional embeddings, overrides and isolates: typed text must not hide or
# reorder the text shown around it (a title in a listing, a name in a roster). Removed, never stored.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


class ArgScanner:
    """A cursor over the first line of a command (after its name), plus the mentions of the event."""

    def __init__(self, text: str, mentions: Sequence[str] = ()) -> None:
        self.text = text
        self.pos = 0
        self.mentions = list(mentions)

    def skip_space(self) -> None:
        self.pos = _SPACES.match(self.text, self.pos).end()  # type: ignore[union-attr]  # matches always

    def peek(self) -> str | None:
        self.skip_space()
        token = _TOKEN.match(self.text, self.pos)
        return token.group() if token else None

    def take(self) -> str | None:
        token = self.peek()
        if token is not None:
            self.pos += len(token)
        return token

    def rest(self) -> str:
        self.skip_space()
        value = self.text[self.pos :].strip()
        self.pos = len(self.text)
        return value

    def at_end(self) -> bool:
        return self.peek() is None


@dataclass(frozen=True)
class Arg:
    """Base: one whitespace-separated token."""

    name: str
    required: bool = True
    help: str = ""

    def usage(self) -> str:
        return f"<{self.name}>" if self.required else f"[{self.name}]"

    def parse(self, scanner: ArgScanner) -> Any:
        token = scanner.take()
        if token is None:
            return None
        return self.convert(token)

    def convert(self, token: str) -> Any:
        return token

    def bad(self, token: str) -> UsageError:
        return UsageError(T("core.bad_argument", name=self.name, value=token[:80]))


@dataclass(frozen=True)
class Word(Arg):
    pass


@dataclass(frozen=True)
class Int(Arg):
    minimum: int = 0
    maximum: int = 1_000_000

    def convert(self, token: str) -> int:
        if not _NUMBER.fullmatch(token) or not self.minimum <= int(token) <= self.maximum:
            raise UsageError(T("core.bad_number", name=self.name, value=token[:80], minimum=self.minimum, maximum=self.maximum))
        return int(token)


@dataclass(frozen=True)
class Id(Arg):
    """A topic/session/digest number, typed `12` or `#12`."""

    def convert(self, token: str) -> int:
        m = _ID.fullmatch(token)
        if not m:
            raise UsageError(T("core.bad_id", name=self.name, value=token[:80]))
        if len(m.group(1)) > 9:  # a number, but no id is that long: not "must be a number"
            raise NotFound(T("core.no_such_id", name=self.name, value=m.group(1)[:30]))
        return int(m.group(1))


@dataclass(frozen=True)
class Ids(Id):
    """One or more ids (`!vote 3 #5 7`)."""

    def usage(self) -> str:
        return f"<{self.name}>…"

    def parse(self, scanner: ArgScanner) -> list[int] | None:
        values = []
        while (token := scanner.take()) is not None:
            values.append(self.convert(token))
        return values or None


@dataclass(frozen=True)
class Choice(Arg):
    choices: tuple[str, ...] = ()

    def usage(self) -> str:
        inner = "|".join(self.choices)
        return inner if self.required else f"[{inner}]"

    def convert(self, token: str) -> str:
        for choice in self.choices:
            if token.lower() == choice.lower():
                return choice
        raise UsageError(T("core.bad_choice", name=self.name, value=token[:80], choices=", ".join(self.choices)))


@dataclass(frozen=True)
class Text(Arg):
    """The rest of the first line; `max_length` refuses longer text with a clear message."""

    max_length: int = 300

    def parse(self, scanner: ArgScanner) -> str | None:
        value = scanner.rest()
        # Most text is printable ASCII (a line has no newline): neither check can find anything there.
        if not (value.isascii() and value.isprintable()):
            if _HIDDEN.search(value):
                value = _HIDDEN.sub("", value).strip()
            if not visible(value):
                return None  # nothing a reader would see (zero-width spaces and the like): missing
        elif not value:
            return None
        if len(value) > self.max_length:
            raise UsageError(T("core.too_long", name=self.name, length=len(value), maximum=self.max_length))
        return value


@dataclass(frozen=True)
class User(Arg):
    """A Matrix ID, typed or as a mention pill (clients put the pill's target in m.mentions)."""

    def parse(self, scanner: ArgScanner) -> str | None:
        token = scanner.peek()
        if token is None:
            return scanner.mentions.pop(0) if scanner.mentions and self.required else None
        candidate = token.rstrip(":,")
        if MATRIX_ID.match(candidate):
            scanner.take()
            if candidate in scanner.mentions:
                scanner.mentions.remove(candidate)
            return candidate
        if scanner.mentions:
            # The body shows the pill's display name, which may have spaces ("Mei Lin"): the rest of the
            # line is that name, and the mention is the person (so a User argument comes last).
            user = scanner.mentions.pop(0)
            scanner.rest()
            return user
        if self.required:
            raise UsageError(T("core.bad_user", name=self.name, value=token[:80]))
        return None


@dataclass(frozen=True)
class Date(Arg):
    def convert(self, token: str) -> date:
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", token):
                return date.fromisoformat(token)
        except ValueError:
            pass
        raise UsageError(T("core.bad_date", value=token[:80]))


@dataclass(frozen=True)
class Clock(Arg):
    """A time of day, HH:MM (24-hour)."""

    def convert(self, token: str) -> time:
        return parse_hhmm(token)


@dataclass(frozen=True)
class TimeRange(Arg):
    """HH:MM-HH:MM; the end must be after the start, unless `overnight` (then an end before the start
    is on the next day, and the caller, who knows the date, checks the length)."""

    overnight: bool = False

    def convert(self, token: str) -> tuple[time, time]:
        m = re.fullmatch(r"(\d{1,2}:\d{2})[-–](\d{1,2}:\d{2})", token)
        if not m:
            raise UsageError(T("core.bad_time_range", value=token[:80]))
        start, end = parse_hhmm(m.group(1)), parse_hhmm(m.group(2))
        if end <= start and not self.overnight:
            raise UsageError(T("core.end_before_start", value=token[:80]))
        return start, end


@dataclass(frozen=True)
class TimeZone(Arg):
    def convert(self, token: str) -> str:
        try:
            if "/" not in token and token != "UTC":
                raise ValueError
            ZoneInfo(token)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(T("core.bad_timezone", value=token[:80])) from None
        return token


def visible(text: str) -> bool:
    """Whether the text shows anything: a character that is neither a space nor an invisible format
    character (zero-width space, word joiner, byte order mark…)."""
    return any(not c.isspace() and unicodedata.category(c) != "Cf" for c in text)


def parse_hhmm(token: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", token)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise UsageError(T("core.bad_time", value=token[:80]))
    return time(int(m.group(1)), int(m.group(2)))


@dataclass(frozen=True)
class Flag(Arg):
    """An optional `--word` switch, anywhere before the free text."""

    required: bool = False
    flag: str = field(default="")

    def usage(self) -> str:
        return f"[--{self.flag or self.name}]"

    def parse(self, scanner: ArgScanner) -> bool:
        if scanner.peek() == f"--{self.flag or self.name}":
            scanner.take()
            return True
        return False


def combine(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz)
