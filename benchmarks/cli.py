"""Headless CLI: ``ceder --version``, ``questions``, ``validate``, ``run`` and ``report``, against two floors.

    python -m benchmarks.cli [--rounds 9] [--before REV|DIR] [--stages]

Every command runs as a fresh process (the ``ceder`` console script of this
environment), output discarded; the commands take turns within each round, in
an order that rotates from round to round, and the figures are medians. The
floors are ``python -c pass`` (the interpreter alone) and ``python -c "import
pydantic, yaml"`` (the least any command that reads a bank must import); the goal
is each headless command within 2x of the second. ``report`` reads a session saved
by ``ceder run --save`` from the first scenario. ``--stages``: where each command's
time goes instead (``benchmarks.cli_stages``, in fresh processes), beside what any
command that creates a pydantic model and validates must import first.
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

from benchmarks.common import (
    PYTHON,
    ROOT,
    fmt_time,
    median,
    rotations,
    run_json,
    source_tree,
    table,
    with_bytecode_cache,
)
from benchmarks.startup import ceder_command

GOAL = 2.0
"""Each headless command against ``python -c "import pydantic, yaml"``."""
HEADLESS = ("questions", "validate", "run", "report")


def _scenario(root: Path = ROOT) -> Path | None:
    folder = root / "question_banks" / "scenarios"
    found = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return found[0] if found else None


def commands(session: Path, tree: Path | None = None, tag: str = "") -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each command with its extra environment; ``tree``: run ceder from that source folder instead (``tag`` names it)."""
    ceder = ceder_command()
    own = {"PYTHONPATH": str(tree)} if tree is not None else {}
    cmds: dict[str, tuple[list[str], dict[str, str]]] = {}
    if tree is None:
        cmds["python -c pass"] = ([PYTHON, "-c", "pass"], {})
        cmds['python -c "import pydantic, yaml"'] = ([PYTHON, "-c", "import pydantic, yaml"], {})
    cmds[f"ceder{tag} --version"] = ([*ceder, "--version"], own)
    cmds[f"ceder{tag} questions"] = ([*ceder, "questions"], own)
    cmds[f"ceder{tag} validate"] = ([*ceder, "validate"], own)
    scenario = _scenario(tree or ROOT)  # each revision with its own bank's scenario
    if scenario is not None:
        cmds[f"ceder{tag} run --answers {scenario.relative_to(tree or ROOT)}"] = (
            [*ceder, "run", "--answers", str(scenario)],
            own,
        )
    cmds[f"ceder{tag} report SESSION"] = ([*ceder, "report", str(session)], own)
    return cmds


def _time(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=env, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    return elapsed


def run(rounds: int = 9, before: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="ceder-cli-") as tmp:
        env = with_bytecode_cache(dict(os.environ), Path(tmp) / "pycache")
        env["CEDER_HOME"] = str(Path(tmp) / "home")
        session = Path(tmp) / "session.json"
        scenario = _scenario()
        if scenario is None:
            raise SystemExit("no scenario to make a session from")
        _time(
            [*ceder_command(), "run", "--answers", str(scenario), "--save", str(session)], env
        )  # the report to stdout, discarded
        cmds = commands(session)
        if before is not None:  # its own session, made by that revision from its own scenario
            old_session, old_scenario = Path(tmp) / "before.json", _scenario(before)
            if old_scenario is None:
                raise SystemExit(f"no scenario in {before}")
            own = {**env, "PYTHONPATH": str(before)}
            _time([*ceder_command(), "run", "--answers", str(old_scenario), "--save", str(old_session)], own)
            cmds.update(commands(old_session, before, " before"))
        names = list(cmds)
        for name in names:  # warm-up: disk cache and bytecode
            _time(cmds[name][0], {**env, **cmds[name][1]})
        times: dict[str, list[float]] = {n: [] for n in names}
        for order in rotations(names, rounds):
            for name in order:
                times[name].append(_time(cmds[name][0], {**env, **cmds[name][1]}))
    return {"rounds": rounds, "median_s": {n: median(t) for n, t in times.items()}}


def report(result: dict[str, Any]) -> str:
    med = result["median_s"]
    names = list(med)
    bare, floor = med[names[0]], med[names[1]]
    rows = [[n, fmt_time(s), f"{s / bare:.2f}x", f"{s / floor:.2f}x"] for n, s in med.items()]
    lines = [
        f"Headless commands, fresh processes, medians of {result['rounds']} rotating rounds:",
        "",
        table(["command", "wall time", "vs python -c pass", "vs import pydantic, yaml"], rows),
        "",
    ]
    for n, s in med.items():
        if n.startswith("ceder ") and n.split()[1] in HEADLESS:
            ratio = s / floor
            lines.append(f"- {n}: {ratio:.2f}x the floor (goal <= {GOAL:g}x): {'MET' if ratio <= GOAL else 'MISSED'}")
    return "\n".join(lines)


LADDER = {
    "python -c pass": "pass",
    'python -c "import pydantic, yaml"': "import pydantic, yaml",
    "+ from pydantic import BaseModel": "import pydantic, yaml; from pydantic import BaseModel",
    "+ import pydantic.fields": "import pydantic, yaml; from pydantic import BaseModel; import pydantic.fields",
    "+ import importlib.metadata": (
        "import pydantic, yaml; from pydantic import BaseModel; import pydantic.fields, importlib.metadata"
    ),
}
"""What any command that defines a pydantic model, then validates anything, imports before its own work."""


def run_stages(rounds: int = 9) -> dict[str, Any]:
    """Medians of each stage of each headless command (``benchmarks.cli_stages``), and of the floors' ladder."""
    with tempfile.TemporaryDirectory(prefix="ceder-stages-") as tmp:
        env = with_bytecode_cache(dict(os.environ), Path(tmp) / "pycache")
        env["CEDER_HOME"] = str(Path(tmp) / "home")
        env["PYDANTIC_DISABLE_PLUGINS"] = "__all__"  # as ceder sets it, for the floors too
        session = Path(tmp) / "session.json"
        scenario = _scenario()
        if scenario is None:
            raise SystemExit("no scenario to make a session from")
        _time([*ceder_command(), "run", "--answers", str(scenario), "--save", str(session)], env)
        argv = {
            "questions": ["questions"],
            "validate": ["validate"],
            "run": ["run", "--answers", str(scenario)],
            "report": ["report", str(session)],
        }
        ladder: dict[str, list[float]] = {name: [] for name in LADDER}
        staged: dict[str, list[dict[str, float]]] = {name: [] for name in argv}
        for args in argv.values():  # warm-up: the caches and bytecode
            run_json([PYTHON, "-m", "benchmarks.cli_stages", *args], cwd=ROOT, env=env)
        for order in rotations([*LADDER, *argv], rounds):
            for name in order:
                if name in LADDER:
                    ladder[name].append(_time([PYTHON, "-c", LADDER[name]], env))
                else:
                    staged[name].append(
                        run_json([PYTHON, "-m", "benchmarks.cli_stages", *argv[name]], cwd=ROOT, env=env)
                    )
    return {
        "rounds": rounds,
        "ladder_s": {name: median(times) for name, times in ladder.items()},
        "stages_ms": {
            name: {stage: median([r[stage] for r in runs]) for stage in runs[0]} for name, runs in staged.items()
        },
    }


def report_stages(result: dict[str, Any]) -> str:
    ladder = result["ladder_s"]
    floor = ladder['python -c "import pydantic, yaml"']
    lines = [
        f"What a command must import before its own work, fresh processes, medians of {result['rounds']} rounds:",
        "",
        table(
            ["program", "wall time", "vs import pydantic, yaml"],
            [[name, fmt_time(s), f"{s / floor:.2f}x"] for name, s in ladder.items()],
        ),
        "",
        "Where each headless command's time goes, after the interpreter's start-up (medians):",
    ]
    for name, per in result["stages_ms"].items():
        total = sum(per.values())
        rows = [[stage, f"{ms:.1f} ms", f"{ms / total:.0%}"] for stage, ms in per.items()]
        rows.append(["total", f"{total:.1f} ms", ""])
        lines += ["", f"ceder {name}:", "", table(["stage", "time", "share"], rows)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cli", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--before", metavar="REV|DIR", help="also time ceder at this git revision or source folder")
    parser.add_argument(
        "--stages",
        action="store_true",
        help="instead, where each command's time goes (benchmarks.cli_stages), against the imports every command needs",
    )
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args(argv)
    if args.stages:
        result = run_stages(args.rounds)
        print(report_stages(result))
    else:
        with tempfile.TemporaryDirectory(prefix="ceder-before-") as tmp:
            before = source_tree(args.before, Path(tmp) / "tree") if args.before else None
            result = run(args.rounds, before)
        print(report(result))
    if args.json:
        import json

        Path(args.json).write_text(json.dumps(result, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
