"""Round trip of `!ping` → `pong`: Flipchart beside a bare nio echo bot, on one local Synapse.

    .venv/bin/python bench/roundtrip.py [--rounds 8] [-n 400] [--encrypted-room]

Interleaved rounds (echo, Flipchart, echo, …) so that both see the same machine load. Prints median, p95,
p99 per bot per round, Flipchart's median divided by the echo bot's per round and the median of those ratios,
and each process's RSS after start-up and at the end. Flipchart runs as `flipchart run` does, encryption on,
with PYTHONOPTIMIZE=2 as the container runs it (bot/testing/process.py; `PYTHONOPTIMIZE=0` in the
environment runs it without); the echo bot runs as plain `python`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.testing.matrix import TestUser, replies_to  # noqa: E402
from bot.testing.process import BotProcess  # noqa: E402
from bot.testing.synapse import Synapse  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_echo_bot(homeserver: str, account) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("echo_bot.py")), homeserver, account.user_id,
         account.device_id, account.access_token], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def cpu_ms(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def ping(tester: TestUser, room: str, timeout: float = 20) -> float:
    started = time.perf_counter()
    event_id = await tester.send(room, "!ping")
    await tester.wait_for(lambda r, e: r == room and replies_to(e) == event_id, timeout, since=max(0, tester.mark() - 5))
    return (time.perf_counter() - started) * 1000


@dataclass
class Bench:
    """Everything the benches run: Synapse, a tester, the echo bot and Flipchart, each in its own room."""

    tester: TestUser
    echo_room: str
    fc_room: str
    echo_proc: subprocess.Popen[str]
    bot_proc: subprocess.Popen[Any]

    @property
    def pids(self) -> dict[str, int]:
        return {"echo": self.echo_proc.pid, "flipchart": self.bot_proc.pid}

    def rss(self) -> dict[str, float]:
        return {name: rss_mb(pid) for name, pid in self.pids.items()}

    async def warm_up(self, n: int = 20) -> None:
        """Joins, first sync, key sharing: done before anything is measured."""
        for _ in range(n):
            await ping(self.tester, self.echo_room)
            await ping(self.tester, self.fc_room)


@asynccontextmanager
async def started(*, encrypted_room: bool = False, core_only: bool = False, calibrate: bool = False) -> AsyncIterator[Bench]:
    """Start Synapse, the tester, the echo bot and Flipchart (`flipchart run`, encryption on) as the round-trip
    bench does, and stop them all on the way out."""
    root = Path(tempfile.mkdtemp(prefix="flipchart-bench-"))
    synapse = Synapse(root / "synapse")
    synapse.start()
    echo_proc = bot_proc = None
    bot = None
    tester = None
    try:
        tester_acct = synapse.register("tester")
        echo_acct = synapse.register("echo")
        bot_acct = synapse.register("flipchart")
        tester = TestUser(synapse.url, tester_acct, store_dir=root / "tester-store" if encrypted_room else None)
        await tester.start()
        echo_room = await tester.create_room("echo", invite=[echo_acct.user_id])
        fc_room = await tester.create_room("flipchart", invite=[bot_acct.user_id], encrypted=encrypted_room)
        echo_proc = start_echo_bot(synapse.url, echo_acct)
        if calibrate:
            bot_proc = start_echo_bot(synapse.url, bot_acct)
        else:
            bot = BotProcess(root / "bot", synapse.url, bot_acct, {
                "rooms": {"lobby": fc_room}, "bot": {"log_level": "INFO", "rate_limit_commands": 1_000_000},
                **({"plugins": {"enabled": ["core"]}} if core_only else {})})
            await bot.start()
            assert bot.proc is not None
            bot_proc = bot.proc
        yield Bench(tester, echo_room, fc_room, echo_proc, bot_proc)
    finally:
        if tester:
            await tester.close()
        if bot:
            await bot.stop()
        for proc in (echo_proc, bot_proc):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(5)
        synapse.stop()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("-n", type=int, default=400, help="pings per bot per round")
    parser.add_argument("--encrypted-room", action="store_true", help="run Flipchart's room encrypted")
    parser.add_argument("--core-only", action="store_true", help="Flipchart without feature plugins")
    parser.add_argument("--calibrate", action="store_true",
                        help="a second echo bot in Flipchart's place: the ratio the bench itself gives two equal bots")
    parser.add_argument("--fixed-order", action="store_true",
                        help="always ping the echo bot first (the default alternates which bot goes first)")
    args = parser.parse_args()
    async with started(encrypted_room=args.encrypted_room, core_only=args.core_only, calibrate=args.calibrate) as bench:
        tester, echo_room, fc_room = bench.tester, bench.echo_room, bench.fc_room
        await bench.warm_up()
        rss_start = bench.rss()
        ratios = []
        all_times: dict[str, list[float]] = {"echo": [], "flipchart": []}
        if args.calibrate:
            print("--calibrate: the rows named 'flipchart' are a second echo bot")
        print(f"{'round':>5} {'bot':>9} {'median':>8} {'p95':>8} {'p99':>8}   (ms, n={args.n})")
        pids = bench.pids
        for rnd in range(1, args.rounds + 1):
            times: dict[str, list[float]] = {"echo": [], "flipchart": []}
            cpu_before = {name: cpu_ms(pid) for name, pid in pids.items()}
            for i in range(args.n):
                # Alternate who goes first: the second ping of a pair meets the first bot's own sync
                # traffic on the homeserver (the --calibrate run shows that bias with a fixed order).
                pair = [("echo", echo_room), ("flipchart", fc_room)]
                for name, room in pair if args.fixed_order or i % 2 == 0 else reversed(pair):
                    times[name].append(await ping(tester, room))
            for name, values in times.items():
                all_times[name] += values
                cpu = (cpu_ms(pids[name]) - cpu_before[name]) / args.n
                print(f"{rnd:>5} {name:>9} {statistics.median(values):8.1f} {pct(values, 95):8.1f} {pct(values, 99):8.1f}"
                      f"   CPU {cpu:.2f} ms/ping")
            ratio = statistics.median(times["flipchart"]) / statistics.median(times["echo"])
            ratios.append(ratio)
            print(f"{rnd:>5} {'ratio':>9} {ratio:8.3f}")
        print()
        for name, values in all_times.items():
            print(f"all rounds {name:>9}: median {statistics.median(values):.1f} ms, p95 {pct(values, 95):.1f}, p99 {pct(values, 99):.1f}")
        print(f"median of per-round ratios (Flipchart / echo): {statistics.median(ratios):.3f}  (target ≤ 1.05)")
        rss_end = bench.rss()
        print(f"RSS after start-up: echo {rss_start['echo']:.1f} MB, Flipchart {rss_start['flipchart']:.1f} MB (target ≤ 60)")
        print(f"RSS at the end:     echo {rss_end['echo']:.1f} MB, Flipchart {rss_end['flipchart']:.1f} MB")


if __name__ == "__main__":
    asyncio.run(main())
