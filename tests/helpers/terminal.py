"""A real program in a pseudo-terminal, as a person at a terminal runs it: keys in, screen bytes out."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import SMALL_BANK
from tests.helpers.env import ROOT, ceder_env

ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[@-Z\\-_=>]")
"""Terminal escape sequences (CSI, OSC, charset and keypad switches), removed to read the screen as text."""


class Terminal:
    """``argv`` in a new pseudo-terminal and session; everything it writes is kept in :attr:`out`."""

    def __init__(
        self, argv: list[str], *, env: dict[str, str], size: tuple[int, int] = (30, 110), cwd: Path = ROOT
    ) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.master, slave = pty.openpty()
        rows, columns = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, start_new_session=True
        )
        os.close(slave)
        self.out = bytearray()
        self._closed = False

    def _read(self, wait: float) -> bool:
        """Read what is there within ``wait`` seconds; False once the program has gone."""
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return False
        self.out.extend(chunk)
        return bool(chunk)

    def wait_for(self, text: str, since: int = 0, timeout: float = 30) -> bool:
        """Read until ``text`` is on the screen (escapes aside) after byte ``since``; False at the timeout or the end."""
        deadline = time.monotonic() + timeout
        needle = text.encode()
        while needle not in self.out[since:] and text not in self.text(since):
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(min(left, 0.05)):
                return False
        return True

    def quiet(self, for_seconds: float = 0.15, timeout: float = 5) -> None:
        """Read until the program has painted nothing for ``for_seconds``: the screen is settled.

        The text waited for can be painted a frame before the widget that takes the keys is
        mounted; keys sent in that gap would belong to no question.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = len(self.out)
            if not self._read(for_seconds) or len(self.out) == before:
                return

    def drain(self, seconds: float) -> None:
        """Read for ``seconds`` whatever comes."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and self._read(0.05):
            pass

    def write(self, data: bytes) -> int:
        """Write ``data`` in one ``os.write`` at once; the output position before it (for :meth:`wait_for`)."""
        mark = len(self.out)
        os.write(self.master, data)
        return mark

    def send(self, keys: str) -> int:
        """Type ``keys`` once the screen has settled."""
        self.quiet()
        return self.write(keys.encode())

    def text(self, since: int = 0) -> str:
        """The output after byte ``since`` as text, escape sequences removed."""
        return ESCAPES.sub(b"", bytes(self.out[since:])).decode("utf-8", "replace")

    def kill(self) -> None:
        """SIGKILL the program and all it started; close the terminal."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=20)
        if not self._closed:
            os.close(self.master)
            self._closed = True


def ceder_tui(
    session: Path,
    *,
    bank: Path = SMALL_BANK,
    home: Path | None = None,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (30, 110),
) -> Terminal:
    """The full-screen ``ceder --session SESSION`` in a pseudo-terminal (``home``: its data folder; or all of ``env``)."""
    argv = [sys.executable, "-m", "assistant", "--bank", str(bank), "--session", str(session)]
    return Terminal(argv, env=env if env is not None else ceder_env(home), size=size)
