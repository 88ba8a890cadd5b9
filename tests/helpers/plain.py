"""A real ``ceder --plain`` on a session, in pipes, its output read line by line as a person reads it."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import SMALL_BANK
from tests.helpers.env import ROOT, ceder_env


class PlainCeder:
    """``ceder --plain --session SESSION``; lines are read on a thread, so a wait can time out."""

    def __init__(self, session: Path, *, home: Path | None = None, cwd: Path = ROOT, bank: Path = SMALL_BANK) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "--bank", str(bank), "--plain", "--session", str(session)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=ceder_env(home),
            cwd=cwd,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def until(self, pattern: re.Pattern[str], timeout: float = 20) -> re.Match[str] | None:
        """Read lines until one matches (its match) or the output ends (None)."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if line is None:
                return None
            self.seen.append(line)
            m = pattern.match(line)
            if m:
                return m

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def errors(self) -> str:
        """What it wrote to stderr (once it has ended)."""
        return self.proc.stderr.read() if self.proc.stderr is not None else ""

    def kill(self) -> None:
        """SIGKILL it (if still running) and close the pipes."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
