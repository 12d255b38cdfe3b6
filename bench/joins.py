"""Benchmark: 1,000 `!join` from 200 people on 50 sessions of cap 8, all at once, in-process.

Runs the real router, plugins (topics, agenda, sessions) and SQLite through the Harness (fake transport).
Prints commands per second and how many seats were overbooked (must be 0).

    .venv/bin/python bench/joins.py [--joins 1000] [--people 200] [--sessions 50] [--cap 8] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import discover_plugins  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.events import Message  # noqa: E402
from bot.testing.harness import LOBBY, ORGANIZER, Harness, make_config  # noqa: E402

SLOTS = 5  # sessions are spread over this many slots (so that joins also move people within a slot)
DAY = datetime(2026, 11, 28, tzinfo=UTC)


async def setup(h: Harness, sessions: int, cap: int) -> list[int]:
    """Slots, locations and topics through the organizers' commands, then scheduled."""
    per_slot = -(-sessions // SLOTS)
    for s in range(SLOTS):
        start = DAY.replace(hour=10 + s)
        await h.say(
            ORGANIZER,
            f"!slot add {start:%Y-%m-%d} {start:%H:%M}-{start + timedelta(minutes=50):%H:%M}",
        )
    for room in range(per_slot):
        await h.say(ORGANIZER, f"!location add Room{room} cap {cap}")
    ids = []
    for n in range(sessions):
        reply = await h.reply_text(ORGANIZER, f"!propose Bench topic {n}")
        topic_id = int(reply.split("#", 1)[1].split()[0].rstrip(".,:;)）"))
        await h.say(ORGANIZER, f"!schedule {topic_id} S{n // per_slot + 1} Room{n % per_slot}")
        ids.append(topic_id)
    return ids


async def overbooked(h: Harness, ids: list[int]) -> tuple[int, int, int]:
    """(seats beyond the cap, people seated, people waiting), read back from the database."""
    sessions = h.bot.core.plugins["sessions"]
    over = seated = waiting = 0
    async with h.bot.db.transaction() as tx:
        for topic_id in ids:
            info = await sessions.info(tx, topic_id)
            over += max(0, len(info.participants) - info.cap)
            seated += len(info.participants)
            waiting += len(info.waitlist)
    return over, seated, waiting


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--joins", type=int, default=1000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--cap", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    config = make_config(
        sessions={"create_rooms": False, "default_cap": args.cap}, topics={"max_open_per_person": 0}
    )
    h = await Harness.create(
        config,
        plugins=discover_plugins(["topics", "agenda", "sessions"]),
        clock=FakeClock(DAY.replace(hour=8)),
    )
    h.bot.scheduler.shutdown()
    h.bot.router.rate_limiter.limit = 1_000_000  # a benchmark, not an abuse test
    try:
        ids = await setup(h, args.sessions, args.cap)
        rng = random.Random(args.seed)
        people = [f"@bench{i}:test" for i in range(args.people)]
        joins = [(people[i % args.people], rng.choice(ids)) for i in range(args.joins)]
        rng.shuffle(joins)
        h.transport.room(LOBBY, *people)
        messages = [
            Message(
                event_id=f"$join{n}",
                room_id=LOBBY,
                sender=user,
                timestamp_ms=n,
                body=f"!join {topic_id}",
            )
            for n, (user, topic_id) in enumerate(joins)
        ]
        began = time.perf_counter()
        # All at once, as a busy sync batch would arrive; then one outbox pass sends every reply.
        await asyncio.gather(*(h.bot.process(m) for m in messages))
        handled = time.perf_counter() - began
        await h.bot.outbox.drain()
        elapsed = time.perf_counter() - began
        replies = len(h.transport.messages())
        over, seated, waiting = await overbooked(h, ids)
    finally:
        await h.close()
    print(
        f"{args.joins} joins from {args.people} people on {args.sessions} sessions of cap {args.cap}"
    )
    print(
        f"handled in {handled:.2f} s, replies sent after {elapsed:.2f} s ({replies} messages in all)"
    )
    print(f"{args.joins / elapsed:.0f} commands per second (replies included)")
    print(f"seated: {seated}, waiting: {waiting}")
    print(f"overbooked: {over}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
