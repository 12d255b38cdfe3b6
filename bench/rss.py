"""Resident memory only, in a minute instead of roundtrip.py's ten: the same start-up, then RSS.

    .venv/bin/python bench/rss.py [--runs 3] [-n 300] [--encrypted-room] [--core-only]

Starts Synapse, the bare nio echo bot and Flipchart exactly as bench/roundtrip.py does (its `started`),
warms both up the same way, prints each process's VmRSS at Flipchart's 'ready' line and after the warm-up
(roundtrip.py's "after start-up" figure), then pings each bot `-n` times and prints VmRSS again (memory
freed at start-up must not simply grow back in operation).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from roundtrip import ping, started  # noqa: E402


async def one_run(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    async with started(encrypted_room=args.encrypted_room, core_only=args.core_only) as bench:
        at_ready = bench.rss()
        await bench.warm_up()
        after_start = bench.rss()
        for _ in range(args.n):
            await ping(bench.tester, bench.echo_room)
            await ping(bench.tester, bench.fc_room)
        return {"ready": at_ready, "start-up": after_start, "pings": bench.rss()}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1, help="fresh Synapse and bots each run")
    parser.add_argument("-n", type=int, default=300, help="pings per bot after the start-up figure")
    parser.add_argument("--encrypted-room", action="store_true", help="run Flipchart's room encrypted")
    parser.add_argument("--core-only", action="store_true", help="Flipchart without feature plugins")
    args = parser.parse_args()
    runs = []
    for i in range(1, args.runs + 1):
        rss = await one_run(args)
        runs.append(rss)
        print(f"run {i}: at 'ready' echo {rss['ready']['echo']:.1f} MB, Flipchart {rss['ready']['flipchart']:.1f} MB;"
              f" after start-up echo {rss['start-up']['echo']:.1f} MB, Flipchart {rss['start-up']['flipchart']:.1f} MB;"
              f" after {args.n} pings echo {rss['pings']['echo']:.1f} MB, Flipchart {rss['pings']['flipchart']:.1f} MB",
              flush=True)
    if len(runs) > 1:
        for when in ("ready", "start-up", "pings"):
            print(f"median {when:>8}: " + ", ".join(
                f"{name} {statistics.median(r[when][name] for r in runs):.1f} MB" for name in ("echo", "flipchart")))


if __name__ == "__main__":
    asyncio.run(main())
