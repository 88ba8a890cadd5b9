"""Run the reliability tests against each mutant: ``python -m tests.reliability.mutants [NAME ...]``.

A mutant is killed only when its tests ran and failed (pytest's status 1). One that cannot be
applied (what it replaces was renamed away) or whose tests cannot be found is BROKEN, never
counted as killed: a wrong test id or a stale mutant proves nothing.
Exit status 0 when every mutant is killed, 1 otherwise.
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


def run(name: str) -> tuple[str, float, str]:
    """(``killed``, ``SURVIVED`` or ``BROKEN``, seconds, the first failure or pytest's last line)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(ROOT)])
    env["CEDER_CRASH_TRIALS"] = "20"  # enough to catch a half-written file; keeps the run short
    start = time.monotonic()
    check = subprocess.run(
        [sys.executable, "-c", f"from tests.reliability.mutants import apply; apply({name!r})"],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        return "BROKEN", time.monotonic() - start, (check.stderr.strip().splitlines() or ["?"])[-1]
    env["CEDER_MUTANT"] = name
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *MUTANTS[name].tests],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    tail = [ln for ln in proc.stdout.splitlines() if ln.startswith(("FAILED", "ERROR"))][:1]
    detail = tail[0] if tail else (proc.stdout.strip().splitlines() or ["?"])[-1]
    outcome = {0: "SURVIVED", 1: "killed"}.get(proc.returncode, "BROKEN")
    return outcome, time.monotonic() - start, detail


def main(names: list[str]) -> int:
    chosen = names or list(MUTANTS)
    outcomes: dict[str, int] = {"killed": 0, "SURVIVED": 0, "BROKEN": 0}
    for name in chosen:
        outcome, seconds, detail = run(name)
        outcomes[outcome] += 1
        print(f"{outcome:<8} {name:<30} {seconds:5.1f}s  {MUTANTS[name].what}: {detail}", flush=True)
    print(f"{outcomes['killed']} of {len(chosen)} mutants killed", end="")
    print(
        f" ({outcomes['SURVIVED']} survived, {outcomes['BROKEN']} broken)" if outcomes["killed"] < len(chosen) else ""
    )
    return 0 if outcomes["killed"] == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
