"""Helpers for the reliability suite: run the real ``ceder`` command in a subprocess and time it."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.env import ROOT, ceder_env

PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<qid>[^:\s]+): (?P<msg>.+)$")
"""One lint problem: ``FILE:LINE: QUESTION-ID: message``."""
ONE_LINE_ERROR = re.compile(r"^ceder: (?P<file>.+?):(?P<line>\d+): (?P<msg>.+)$")
"""A CLI failure naming the place: ``ceder: FILE:LINE: reason``."""


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float


def ceder(*args: str, input: str | None = None, timeout: float = 60, cwd: Path | None = None) -> Run:
    """Run ``python -m assistant ARGS`` as a user would, with the test's private CEDER_HOME."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=ceder_env(),
        cwd=cwd or ROOT,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start)


def no_traceback(run: Run) -> None:
    for text in (run.out, run.err):
        assert "Traceback" not in text and "unexpected error" not in text, text[-2000:]
