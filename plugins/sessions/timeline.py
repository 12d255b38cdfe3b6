"""The session clock as pure functions: when each step is due, and what to do with a step that is late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

STEPS = ("reminder", "start", "wrapup", "end")
# The bus event each step emits, exactly once per session.
EVENTS = {
    "reminder": "sessions.reminder",
    "start": "sessions.started",
    "wrapup": "sessions.wrapup",
    "end": "sessions.ended",
}


@dataclass(frozen=True)
class Action:
    step: str
    run: bool  # False: skipped, because it is no longer useful


def step_times(
    starts_at: datetime, ends_at: datetime, *, reminder_minutes: int, wrapup_minutes: int
) -> dict[str, datetime]:
    """When each step is due; the wrap-up never comes before the start (very short slots)."""
    return {
        "reminder": starts_at - timedelta(minutes=reminder_minutes),
        "start": starts_at,
        "wrapup": max(ends_at - timedelta(minutes=wrapup_minutes), starts_at),
        "end": ends_at,
    }


def still_useful(step: str, now: datetime, starts_at: datetime, ends_at: datetime) -> bool:
    """A late step runs only if it still helps: a reminder before the start, a welcome or a
    wrap-up within the slot; the end always (the notes plugin drafts the digest there)."""
    if step == "reminder":
        return now < starts_at
    if step in ("start", "wrapup"):
        return now < ends_at
    return True


def due(
    times: dict[str, datetime],
    taken: dict[str, str],
    now: datetime,
    starts_at: datetime,
    ends_at: datetime,
) -> list[Action]:
    """The steps whose time has come and that were never taken, in order, each run or skipped."""
    return [
        Action(step, still_useful(step, now, starts_at, ends_at))
        for step in STEPS
        if step not in taken and times[step] <= now
    ]


def by_hand(step: str, taken: dict[str, str]) -> list[Action]:
    """`!start` / `!end`: the earlier steps not taken yet are skipped, then the step runs."""
    upto = STEPS.index(step)
    return [Action(s, s == step) for s in STEPS[: upto + 1] if s not in taken]


def state_of(taken: dict[str, str]) -> str:
    if "end" in taken:
        return "ended"
    if "start" in taken:
        return "started"
    return "scheduled"
