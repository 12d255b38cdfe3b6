"""In-process throughput and latency: the real router, plugins and SQLite (on disk), the fake transport.

    .venv/bin/python bench/inprocess.py [--commands 5000] [--people 10000] [--sessions 2000] [--skip-big]

Part 1, a mix of commands (propose, vote, join, leave, who, note, agenda) from 200 people on 40 sessions,
while the first slot's 10 sessions run (notes go to them):
commands per second and latency percentiles (each command: handler, transaction, outbox drain).
Targets: ≥ 2,000 commands/s, p99 ≤ 5 ms on one core.
Part 2, a large event (10,000 people, 2,000 sessions, seeded through the commands themselves):
`!agenda`, `!sessions` and `!who` each ≤ 50 ms, each measured right after someone joined a session, and
once more as the first of their kind after the bot restarted on the same database (nothing kept).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import release_memory  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.config import BotConfig  # noqa: E402
from bot.testing.fake import Sent  # noqa: E402
from bot.testing.harness import ORGANIZER, Harness, make_config  # noqa: E402

DAY = date(2026, 12, 1)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def say(h: Harness, sender: str, body: str, **kwargs: Any) -> list[Sent]:
    """One command, then a pass of the event loop: the running bot yields at every network wait, which is
    when its background tasks (WAL checkpoints) run; without it they would never run here."""
    sent = await h.say(sender, body, **kwargs)
    await asyncio.sleep(0)
    return sent


async def harness(directory: Path) -> Harness:
    config = make_config(directory, bot=BotConfig(rate_limit_commands=10**9, rate_limit_seconds=1))
    clock = FakeClock(datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    h = await Harness.create(config, clock=clock)
    release_memory()  # as the bot does once started (after its first sync)
    return h


async def build_grid(h: Harness, slots: int, locations: int, days: int = 4) -> list[int]:
    """Slots over a few days, locations, one proposed and scheduled topic per cell; returns topic ids."""
    per_day = -(-slots // days)
    for s in range(slots):
        day = DAY + timedelta(days=s // per_day)
        start = datetime(2026, 1, 1, 8, 0) + timedelta(minutes=40 * (s % per_day))
        end = start + timedelta(minutes=30)
        await say(h, ORGANIZER, f"!slot add {day} {start:%H:%M}-{end:%H:%M}")
    for loc in range(locations):
        await say(h, ORGANIZER, f"!location add Room{loc} cap 8")
    ids = []
    for s in range(slots):
        for loc in range(locations):
            topic_id = await propose(h, f"Topic {s}-{loc}")
            await say(h, ORGANIZER, f"!schedule {topic_id} S{s + 1} Room{loc}")
            ids.append(topic_id)
    async with h.bot.db.transaction() as tx:
        booked = len(await h.bot.core.plugins["agenda"].bookings(tx))
    assert booked == len(ids), f"{booked} of {len(ids)} topics made it onto the agenda"
    return ids


async def propose(h: Harness, title: str) -> int:
    """The new topic's id, read from the bot's reply to this very message: other messages go out in
    the same drain (a session room made meanwhile posts its intro, which names another topic)."""
    event_id = f"$propose-{title.replace(' ', '-')}"
    sent = await say(h, ORGANIZER, f"!propose {title}", event_id=event_id)
    (reply,) = [
        m.content["body"]
        for m in sent
        if m.content.get("m.relates_to", {}).get("m.in_reply_to", {}).get("event_id") == event_id
    ]
    return int(reply.split("#", 1)[1].split()[0])


async def mix(
    h: Harness, ids: list[int], running: list[int], people: int, commands: int, rng: random.Random
) -> list[tuple[str, float]]:
    """Timed commands; returns each one's kind and latency in seconds. Notes go to `running` sessions
    (notes open when a session starts: notes to the others would all be refused)."""
    users = [f"@p{i}:test" for i in range(people)]
    session_room = "!lobby:test"
    kinds = ["propose"] * 5 + ["vote"] * 20 + ["join"] * 20 + ["leave"] * 10 + ["who"] * 15 + ["note"] * 15 + ["agenda"] * 15
    times = []
    for n in range(commands):
        user = rng.choice(users)
        kind = rng.choice(kinds)
        topic = rng.choice(ids)
        body = {
            "propose": f"!propose Idea {n} from {user[2:6]}",
            "vote": f"!vote {topic}",
            "join": f"!join {topic}",
            "leave": f"!leave {topic}",
            "who": f"!who {topic}",
            "note": f"!note {rng.choice(running) if kind == 'note' else topic} point number {n}",
            "agenda": "!agenda all",
        }[kind]
        started = time.perf_counter()
        await say(h, user, body, room=session_room)
        times.append((kind, time.perf_counter() - started))
    return times


async def part_one(args: argparse.Namespace, directory: Path) -> None:
    h = await harness(directory / "mix")
    try:
        rng = random.Random(1)
        ids = await build_grid(h, slots=4, locations=10)
        # The first slot's sessions are running (people take notes in them), the others are to come.
        h.clock.set(datetime.combine(DAY, datetime.min.time(), UTC) + timedelta(hours=8, minutes=5))
        await h.bot.core.plugins["sessions"].tick()
        running = ids[:10]
        await mix(h, ids, running, 200, 300, rng)  # warm-up
        started, cpu_started = time.perf_counter(), time.process_time()
        timed = await mix(h, ids, running, 200, args.commands, rng)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        times = [t for _, t in timed]
        print(f"mix of {args.commands} commands from 200 people on {len(ids)} sessions:")
        print(f"  {args.commands / elapsed:,.0f} commands/s (target ≥ 2,000); "
              f"{args.commands / cpu:,.0f} per second of CPU time (what a core shared with other work gives)")
        print(f"  latency median {statistics.median(times) * 1000:.2f} ms, p95 {pct(times, 95) * 1000:.2f} ms, "
              f"p99 {pct(times, 99) * 1000:.2f} ms (target p99 ≤ 5 ms)")
        for kind in sorted({k for k, _ in timed}):
            own = [t for k, t in timed if k == kind]
            print(f"    {kind:7s} ×{len(own):5d}  median {statistics.median(own) * 1000:.2f} ms, "
                  f"p99 {pct(own, 99) * 1000:.2f} ms")
    finally:
        await h.close()  # else aiosqlite's thread outlives an error (a closed pipe) and the run never ends


async def large_event(h: Harness, people: int, sessions: int, rng: random.Random) -> tuple[list[int], int]:
    """Sessions in 50 locations, and people who each take a seat in two slots, through the commands
    themselves; returns the topic ids and the number of joins."""
    locations = 50
    slots = -(-sessions // locations)
    ids = await build_grid(h, slots=slots, locations=locations)
    per_slot = [ids[i * locations:(i + 1) * locations] for i in range(slots)]
    joins = 0
    for p in range(people):
        for slot in rng.sample(range(slots), 2):
            await say(h, f"@p{p}:test", f"!join {rng.choice(per_slot[slot])}")
            joins += 1
    return ids, joins


async def part_two(args: argparse.Namespace, directory: Path) -> None:
    h = await harness(directory / "big")
    try:
        rng = random.Random(2)
        seeded = time.perf_counter()
        ids, joins = await large_event(h, args.people, args.sessions, rng)
        print(f"\nlarge event: {args.people:,} people, {len(ids):,} sessions, {joins:,} joins "
              f"(seeded through the commands in {time.perf_counter() - seeded:.0f} s)")
        late = 0
        for label, body in (("!agenda all", "!agenda all"), ("!agenda <day>", f"!agenda {DAY}"),
                            ("!sessions", "!sessions"), ("!sessions S3", "!sessions S3"), ("!who", None)):
            times = []
            for _ in range(20):
                # Someone takes a seat first (not timed): each answer then reflects changed data, as at a busy
                # event, instead of repeating the text the previous request already rendered.
                late += 1
                await say(h, f"@late{late}:test", f"!join {rng.choice(ids)}")
                command = body or f"!who {rng.choice(ids)}"
                started = time.perf_counter()
                await say(h, "@p1:test", command)
                times.append(time.perf_counter() - started)
            print(f"  {label:14s} median {statistics.median(times) * 1000:6.1f} ms, max {max(times) * 1000:6.1f} ms "
                  "(target ≤ 50 ms)")
    finally:
        await h.close()  # else aiosqlite's thread outlives an error (a closed pipe) and the run never ends
    # The bot restarted on the same database: nothing kept, every seat count read again.
    h = await harness(directory / "big")
    try:
        firsts = []
        for label, body in (("!agenda all", "!agenda all"), ("!sessions", "!sessions"), ("!who", f"!who {ids[0]}")):
            started = time.perf_counter()
            await say(h, "@p1:test", body)
            firsts.append(f"{label} {(time.perf_counter() - started) * 1000:.1f} ms")
        print(f"  after a restart, the first {', '.join(firsts)} (target ≤ 50 ms)")
    finally:
        await h.close()


def machine_speed() -> float:
    """Milliseconds a fixed piece of pure Python (formatting, dict reads and writes) takes, best of five:
    this machine's speed right now, which drifts (on the shared 2-core VM this project is developed on, the
    same code ran the mix at 1,900/s and at 3,800/s hours apart). Runs compare only at similar speeds."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        counts: dict[str, int] = {}
        for i in range(200_000):
            key = f"k{i % 1000}"
            counts[key] = counts.get(key, 0) + 1
        best = min(best, time.perf_counter() - started)
    return best * 1000


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commands", type=int, default=5000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, as the target says
    with tempfile.TemporaryDirectory(prefix="flipchart-inprocess-") as tmp:
        print(f"machine speed now: a fixed piece of Python in {machine_speed():.1f} ms (lower is faster)")
        await part_one(args, Path(tmp))
        if not args.skip_big:
            print(f"\nmachine speed now: a fixed piece of Python in {machine_speed():.1f} ms (lower is faster)", end="")
            await part_two(args, Path(tmp))


if __name__ == "__main__":
    asyncio.run(main())
