"""Run the reliability tests against each mutant: ``python -m tests.reliability.mutants [NAME ...]``.

Exit status 0 when every mutant is killed (its tests fail), 1 when one survives.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.reliability.mutants import MUTANTS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def run(name: str) -> tuple[bool, float, str]:
    env = dict(os.environ)
    env["CEDER_MUTANT"] = name
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(ROOT)])
    env["CEDER_CRASH_TRIALS"] = "20"  # enough to catch a half-written file; keeps the run short
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *MUTANTS[name].tests],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = [ln for ln in proc.stdout.splitlines() if ln.startswith(("FAILED", "ERROR"))][:1]
    return proc.returncode != 0, time.monotonic() - start, (tail[0] if tail else proc.stdout.strip().splitlines()[-1])


def main(names: list[str]) -> int:
    survivors = []
    for name in names or list(MUTANTS):
        killed, seconds, detail = run(name)
        print(f"{'killed ' if killed else 'SURVIVED'} {name:<26} {seconds:5.1f}s  {MUTANTS[name].what}: {detail}")
        if not killed:
            survivors.append(name)
    print(f"{len(names or MUTANTS) - len(survivors)} of {len(names or MUTANTS)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
