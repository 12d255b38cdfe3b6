"""Instructions per command of bench/inprocess.py's mix, counted by valgrind's callgrind.

    .venv/bin/python bench/instructions.py [--first 1000] [--last 3000]
    .venv/bin/python bench/instructions.py --agenda [--runs 10]

Seconds depend on what else the machine does: on the shared 2-core VM this project is developed on, the
same code ran the mix at 1,400 and at 2,100 commands/s a few hours apart. An instruction count does not
move with that, so it compares two versions of the code: the mix is run twice, with `--first` and `--last`
timed commands, and the difference of the two totals divided by the difference of the counts is the cost
of one command (the start-up, the seeding and the warm-up cancel out). The later commands meet fuller
waitlists than the earlier ones (the mix adds people faster than it removes them), so compare with the
same --first and --last. It takes a few minutes (callgrind runs the program about 50 times slower).
Needs valgrind (Debian: `apt install valgrind`).

With `--agenda`, the same for the slowest command of bench/inprocess.py, the large event's first
`!agenda all` (see bench/cold_agenda.py): about 20 s to seed the event, then a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MIX = Path(__file__).resolve().parent / "inprocess.py"
COLD_AGENDA = Path(__file__).resolve().parent / "cold_agenda.py"
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")
ENV = {**os.environ, "PYTHONHASHSEED": "0"}  # the same dict and set orders in every run


def instructions(*arguments: str) -> int:
    with tempfile.TemporaryDirectory(prefix="flipchart-callgrind-") as tmp:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", sys.executable, *arguments],
            capture_output=True, text=True, check=True, env=ENV,
        )
    found = COLLECTED.search(result.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no instruction count:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def mix(first: int, last: int) -> None:
    counts = [instructions(str(MIX), "--skip-big", "--commands", str(n)) for n in (first, last)]
    print(f"{(counts[1] - counts[0]) / (last - first):,.0f} instructions per command "
          f"(mix of {first:,} and of {last:,} commands: {counts[0]:,} and {counts[1]:,} in all)")


def cold_agenda(runs: int) -> None:
    """The large event is seeded at full speed, then counted: `runs` first agendas less as many pings."""
    with tempfile.TemporaryDirectory(prefix="flipchart-large-event-") as tmp:
        subprocess.run([sys.executable, str(COLD_AGENDA), "--seed", tmp], check=True, env=ENV)
        common = (str(COLD_AGENDA), "--db", tmp, "--runs", str(runs))
        agendas, pings = instructions(*common), instructions(*common, "--baseline")
    print(f"{(agendas - pings) / runs:,.0f} instructions per first !agenda all of the large event, less a !ping "
          f"({runs} of each: {agendas:,} and {pings:,} in all)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--first", type=int, default=1000)
    parser.add_argument("--last", type=int, default=3000)
    parser.add_argument("--agenda", action="store_true", help="the large event's first !agenda all instead")
    parser.add_argument("--runs", type=int, default=10, help="with --agenda: agendas counted")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed (Debian: apt install valgrind)")
    if args.agenda:
        cold_agenda(args.runs)
        return
    if args.last <= args.first:
        raise SystemExit("--last must be greater than --first")
    mix(args.first, args.last)


if __name__ == "__main__":
    main()
