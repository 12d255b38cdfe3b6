"""Instructions per command of bench/inprocess.py's mix, counted by valgrind's callgrind.

    .venv/bin/python bench/instructions.py [--first 1000] [--last 3000]

Seconds depend on what else the machine does: on the shared 2-core VM this project is developed on, the
same code ran the mix at 1,400 and at 2,100 commands/s a few hours apart. An instruction count does not
move with that, so it compares two versions of the code: the mix is run twice, with `--first` and `--last`
timed commands, and the difference of the two totals divided by the difference of the counts is the cost
of one command (the start-up, the seeding and the warm-up cancel out). The later commands meet fuller
waitlists than the earlier ones (the mix adds people faster than it removes them), so compare with the
same --first and --last. It takes a few minutes (callgrind runs the program about 50 times slower).
Needs valgrind (Debian: `apt install valgrind`).
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
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def instructions(commands: int) -> int:
    with tempfile.TemporaryDirectory(prefix="flipchart-callgrind-") as tmp:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out",
             sys.executable, str(MIX), "--skip-big", "--commands", str(commands)],
            capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},  # the same dict and set orders in every run
        )
    found = COLLECTED.search(result.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no instruction count:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--first", type=int, default=1000)
    parser.add_argument("--last", type=int, default=3000)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed (Debian: apt install valgrind)")
    if args.last <= args.first:
        raise SystemExit("--last must be greater than --first")
    first, last = instructions(args.first), instructions(args.last)
    print(f"{(last - first) / (args.last - args.first):,.0f} instructions per command "
          f"(mix of {args.first:,} and of {args.last:,} commands: {first:,} and {last:,} in all)")


if __name__ == "__main__":
    main()
