"""Temporary files being written are removed if the process is told to stop (SIGTERM, SIGHUP).

A save writes a temporary file beside its target and renames it into place. Python's
default for SIGTERM and SIGHUP (``kill``, a closed terminal window, a logout, a container
stopping) is to end at once, skipping every ``finally``: the half-written temporary file
stayed until the next write into that folder swept it. While a temporary file exists, a
handler for those two signals removes it, then lets the signal do what it would have done
(the handler that was there before, or the default: the process ends by that signal).

SIGKILL cannot be caught by any process: what it leaves is swept by the next write
(:func:`flows.persistence.remove_stale_temps`, :func:`flows.persistence.remove_stale_temps_in`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

SIGNALS = ("SIGTERM", "SIGHUP")
_in_flight: set[str] = set()
_previous: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}


@contextlib.contextmanager
def removed_on_stop(tmp: str) -> Iterator[None]:
    """While the block runs, SIGTERM or SIGHUP removes ``tmp`` before the process ends."""
    _install()
    _in_flight.add(tmp)
    try:
        yield
    finally:
        _in_flight.discard(tmp)


def _install() -> None:
    """Put the handler in place once (signal handlers can only be set from the main thread)."""
    if _previous or threading.current_thread() is not threading.main_thread():
        return
    for name in SIGNALS:
        signum = getattr(signal, name, None)
        if signum is None:  # pragma: no cover - Windows has no SIGHUP
            continue
        with contextlib.suppress(ValueError, OSError):
            _previous[signum] = signal.signal(signum, _on_stop)


def _on_stop(signum: int, frame: FrameType | None) -> None:
    for tmp in list(_in_flight):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _in_flight.clear()
    before = _previous.get(signum, signal.SIG_DFL)
    if callable(before):
        before(signum, frame)
    elif before != signal.SIG_IGN:
        signal.signal(signum, signal.SIG_DFL)  # end as the signal would have ended it (status -SIGNUM)
        os.kill(os.getpid(), signum)
