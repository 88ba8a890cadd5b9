"""Small helpers shared by the benchmark scripts: statistics, subprocesses, tables."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PEER = ROOT / "benchmarks" / "peer"


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def run_json(cmd: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a worker that prints one JSON line; raise with its stderr if it fails."""
    proc = subprocess.run(list(cmd), capture_output=True, text=True, cwd=cwd, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    line = proc.stdout.strip().splitlines()[-1]
    result: dict[str, Any] = json.loads(line)
    return result


def with_bytecode_cache(env: dict[str, str], folder: Path) -> dict[str, str]:
    """``env`` for a child Python that reads and writes compiled bytecode under ``folder``.

    Installed packages ship their ``.pyc`` files, and a user's first run writes
    ceder's own; but an environment with ``PYTHONDONTWRITEBYTECODE`` set (common
    in containers and CI) would make every timed run recompile ceder's sources
    (about 50 ms) while the libraries it is compared against load precompiled.
    So the benchmarks drop that variable and keep the bytecode in a folder of
    their own (``PYTHONPYCACHEPREFIX``), which the warm-up runs fill for every
    program alike; nothing is written into the working tree.
    """
    out = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out["PYTHONPYCACHEPREFIX"] = str(folder)
    return out


def source_tree(rev_or_dir: str, into: Path) -> Path:
    """A folder holding ceder's sources at ``rev_or_dir``: that folder itself, or ``git archive`` of a revision.

    The "before" side of a before/after comparison runs the same installed
    libraries with this folder first on ``PYTHONPATH``, so both sides are measured
    in one run, alternating, on the same machine load.
    """
    if Path(rev_or_dir).is_dir():
        return Path(rev_or_dir).resolve()
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev_or_dir], capture_output=True, check=False)
    if archive.returncode != 0:
        raise SystemExit(f"--before {rev_or_dir}: not a folder or a git revision ({archive.stderr.decode().strip()})")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def rotations(names: Sequence[str], rounds: int) -> list[list[str]]:
    """The order of each round: every program takes every place in turn (first, second, ...)."""
    return [list(names[r % len(names) :]) + list(names[: r % len(names)]) for r in range(rounds)]


def fmt_time(seconds: float) -> str:
    if seconds != seconds:
        return "n/a"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table (also readable in a terminal)."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells]
    return "\n".join([line, sep, *body])


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {
        "os": f"{platform.system()} {platform.release()}",
        "cpu": f"{cpu}, {os.cpu_count()} logical CPUs",
        "python": platform.python_version(),
    }
    try:
        from importlib.metadata import version

        for dist in ("textual", "pydantic", "pyyaml", "transitions"):
            info[dist] = version(dist)
    except Exception:  # pragma: no cover - metadata missing in odd installs
        pass
    try:
        import yaml

        info["libyaml"] = "yes" if getattr(yaml, "__with_libyaml__", False) else "no"
    except ImportError:  # pragma: no cover
        pass
    try:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
        if node:
            info["node"] = node
    except OSError:
        pass
    return info
