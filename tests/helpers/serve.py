"""A real ``ceder serve`` on a free loopback port, started and stopped as a trainer would."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from tests.conftest import SMALL_BANK
from tests.helpers.env import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(
    *options: str,
    env: dict[str, str],
    out: IO[bytes] | IO[str] | int | None = subprocess.DEVNULL,
    log: Path | None = None,
    timeout: float = 30,
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``ceder --bank SMALL serve --port PORT OPTIONS``, listening when this yields (the process, the port).

    Its output goes to ``out`` (``log``: the file to show if it fails to start). It is stopped
    afterwards: SIGTERM to its process group (the connections' processes too), SIGKILL if it lingers.
    """
    port = free_port()
    argv = [sys.executable, "-m", "assistant", "--bank", str(SMALL_BANK), "serve", "--port", str(port), *options]
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                said = log.read_text() if log is not None and log.exists() else ""
                assert proc.poll() is None, f"ceder serve ended: {said[-3000:]}"
                assert time.monotonic() < deadline, "ceder serve did not start listening"
                time.sleep(0.1)
        yield proc, port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)
