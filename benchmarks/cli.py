"""Headless CLI start-up: ``ceder --version``, ``validate`` and ``run``, against two floors.

    python -m benchmarks.cli [--rounds 9]

Every command runs as a fresh process (the ``ceder`` console script of this
environment), output discarded; the commands take turns within each round, in
an order that rotates from round to round, and the figures are medians. The
floors are ``python -c pass`` (the interpreter alone) and ``python -c "import
pydantic, yaml"`` (the least any command that reads a bank must import).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import PYTHON, ROOT, fmt_time, median, table, with_bytecode_cache
from benchmarks.startup import ceder_command


def _scenario() -> Path | None:
    folder = ROOT / "question_banks" / "scenarios"
    found = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return found[0] if found else None


def commands() -> dict[str, list[str]]:
    ceder = ceder_command()
    cmds = {
        "python -c pass": [PYTHON, "-c", "pass"],
        'python -c "import pydantic, yaml"': [PYTHON, "-c", "import pydantic, yaml"],
        "ceder --version": [*ceder, "--version"],
        "ceder validate": [*ceder, "validate"],
    }
    scenario = _scenario()
    if scenario is not None:
        cmds[f"ceder run --answers {scenario.relative_to(ROOT)}"] = [*ceder, "run", "--answers", str(scenario)]
    return cmds


def _time(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=env, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    return elapsed


def run(rounds: int = 9) -> dict[str, Any]:
    cmds = commands()
    names = list(cmds)
    with tempfile.TemporaryDirectory(prefix="ceder-cli-") as tmp:
        env = with_bytecode_cache(dict(os.environ), Path(tmp) / "pycache")
        for name in names:  # warm-up: disk cache and bytecode
            _time(cmds[name], env)
        times: dict[str, list[float]] = {n: [] for n in names}
        for r in range(rounds):
            k = r % len(names)
            for name in names[k:] + names[:k]:
                times[name].append(_time(cmds[name], env))
    return {"rounds": rounds, "median_s": {n: median(t) for n, t in times.items()}}


def report(result: dict[str, Any]) -> str:
    med = result["median_s"]
    names = list(med)
    bare, floor = med[names[0]], med[names[1]]
    rows = [[n, fmt_time(s), f"{s / bare:.2f}x", f"{s / floor:.2f}x"] for n, s in med.items()]
    return "\n".join(
        [
            f"Headless commands, fresh processes, medians of {result['rounds']} rotating rounds:",
            "",
            table(["command", "wall time", "vs python -c pass", "vs import pydantic, yaml"], rows),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cli", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args(argv)
    result = run(args.rounds)
    print(report(result))
    if args.json:
        import json

        Path(args.json).write_text(json.dumps(result, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
