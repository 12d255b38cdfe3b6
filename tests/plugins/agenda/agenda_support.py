"""Helpers for the agenda plugin: a Harness with topics and agenda (no sessions)."""

from __future__ import annotations

from typing import Any

from icalendar import Calendar

from bot.clock import FakeClock
from bot.testing.harness import ORGANIZER, Harness, make_config
from plugins.agenda import Agenda
from plugins.topics import Topics


async def agenda_harness(*, core: dict[str, Any] | None = None, **sections: Any) -> Harness:
    h = await Harness.create(
        make_config(**(core or {}), **sections),
        plugins={"topics": Topics, "agenda": Agenda},
        clock=FakeClock(),
    )
    h.bot.router.rate_limiter.limit = 1_000_000  # organizers set up many things at once
    return h


async def organize(h: Harness, *commands: str) -> list[str]:
    """Run organizer commands; each must get exactly one reply, returned in order."""
    replies = []
    for cmd in commands:
        sent = await h.say(ORGANIZER, cmd)
        assert len(sent) == 1, (cmd, [s.content.get("body") for s in sent])
        replies.append(sent[0].content["body"])
    return replies


def agenda_of(h: Harness) -> Agenda:
    return h.bot.core.plugins["agenda"]  # type: ignore[return-value]


def uids(data: bytes) -> dict[str, dict]:
    cal = Calendar.from_ical(data)
    return {
        str(ev["UID"]): {
            "summary": str(ev["SUMMARY"]),
            "start": ev.decoded("DTSTART"),
            "end": ev.decoded("DTEND"),
            "location": str(ev["LOCATION"]),
            "sequence": int(ev["SEQUENCE"]),
        }
        for ev in cal.walk("VEVENT")
    }


async def ics_file(h: Harness, who: str, command: str = "!agenda ics") -> bytes:
    sent = await h.say(who, command)
    assert len(sent) == 1 and sent[0].content["msgtype"] == "m.file", [s.content for s in sent]
    assert sent[0].content["info"]["mimetype"] == "text/calendar"
    return h.transport.uploads[sent[0].content["url"]]
