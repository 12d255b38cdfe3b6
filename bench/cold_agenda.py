"""The large event's first `!agenda all`, again and again: what bench/instructions.py --agenda counts.

    .venv/bin/python bench/cold_agenda.py --seed DIR         # the large event, through the commands (~20 s)
    .venv/bin/python bench/cold_agenda.py --db DIR --runs 10 [--baseline]

The first `!agenda all` of a large event (nothing kept yet, as after a change to the grid) is the slowest
command of bench/inprocess.py, and a single call is too short to time reliably on a shared machine. With
`--db`, the bot opens a copy of the seeded database, keeps every session's roster as the joins of the
seeding leave them, then `--runs` times forgets what else it keeps (every `Memo` and `RowMemo` but the
rosters', every functools cache) and answers `!agenda all` — or, with `--baseline`, `!ping` after the same
forgetting, so that the difference of the two counts is the agenda's own. It prints the median time too,
but under valgrind only the instruction count means anything.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import inprocess  # noqa: E402

from bot.memo import Memo, RowMemo  # noqa: E402
from bot.testing.harness import Harness  # noqa: E402

DATABASE = "flipchart.db"


async def seed(directory: Path) -> None:
    h = await inprocess.harness(directory)
    try:
        await inprocess.large_event(h, 10_000, 2000, random.Random(2))
    finally:
        await h.close()


def forget(h: Harness) -> None:
    """Everything the bot keeps but the rosters' people: as before the first agenda after the seeding."""
    rosters = h.bot.core.roster._people  # noqa: SLF001  (a benchmark reaching in, on purpose)
    gc.unfreeze()  # start-up's objects are frozen (bot.app.release_memory): get_objects would skip them
    kept = gc.get_objects()
    gc.freeze()
    for value in kept:
        if isinstance(value, (Memo, RowMemo)) and value is not rosters:
            value._values.clear()  # noqa: SLF001
        elif isinstance(value, functools._lru_cache_wrapper):  # noqa: SLF001
            value.cache_clear()
    h.bot.core.plugins["sessions"]._last_occupancy = None  # noqa: SLF001


async def cold_agendas(database: Path, runs: int, baseline: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="flipchart-cold-agenda-") as tmp:
        shutil.copy(database, Path(tmp) / DATABASE)
        os.chmod(Path(tmp) / DATABASE, 0o600)
        h = await inprocess.harness(Path(tmp))
        try:
            await inprocess.say(h, "@p1:test", "!agenda all")
            async with h.bot.db.transaction() as tx:
                for (topic_id,) in await tx.fetchtuples("SELECT topic_id FROM agenda_bookings"):
                    await h.bot.core.roster.people(tx, f"session:{topic_id}")
            command = "!ping" if baseline else "!agenda all"
            times = []
            for _ in range(runs):
                forget(h)
                gc.collect()
                started = time.perf_counter()
                await inprocess.say(h, "@p1:test", command)
                times.append(time.perf_counter() - started)
            if times:
                print(f"{command}: median {statistics.median(times) * 1000:.1f} ms over {runs} (each after forgetting)")
        finally:
            await h.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=Path, help="write the large event's database into this directory")
    parser.add_argument("--db", type=Path, help="a directory --seed wrote")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--baseline", action="store_true", help="!ping instead of !agenda all")
    args = parser.parse_args()
    if args.seed:
        asyncio.run(seed(args.seed))
    elif args.db:
        asyncio.run(cold_agendas(args.db / DATABASE, args.runs, args.baseline))
    else:
        parser.error("--seed DIR or --db DIR")


if __name__ == "__main__":
    main()
