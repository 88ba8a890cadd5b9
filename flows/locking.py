"""One writer per session: an OS lock beside the session file, released by the kernel when its holder dies.

Two ceder processes on one session (two terminals, the TUI and plain mode, two browser
tabs) would each save their own copy, and the last writer would silently drop the
other's answers. The lock is ``flock`` on ``.NAME.lock`` in the session's folder: the
kernel releases it when the holding process exits, however it exits, so a crash never
leaves a stale lock behind (the file may stay; an unheld lock file means nothing).
The holder writes who it is into the lock file, so a second opener can say who has it.

The lock file is a separate file because saves replace the session file (atomic
rename), which would leave a lock on the old file guarding nothing.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock; sessions are not locked there
    fcntl = None  # type: ignore[assignment]


class Holder(NamedTuple):
    """Who holds a session: enough for the user to find that window."""

    pid: int | None = None
    host: str = ""
    command: str = ""
    since: str = ""

    def describe(self) -> str:
        if self.pid is None:
            return "another ceder"
        where = f" on {self.host}" if self.host and self.host != _hostname() else ""
        what = f"{self.command}, " if self.command else ""
        when = f", since {self.since}" if self.since else ""
        return f"another ceder ({what}process {self.pid}{where}{when})"


class SessionLocked(Exception):
    """The session is open for writing in another process; ``holder`` says which."""

    def __init__(self, path: Path, holder: Holder, reason: str | None = None) -> None:
        self.path = path
        self.holder = holder
        self.reason = reason or f"{path} is open in {holder.describe()}"
        super().__init__(self.reason)


def lock_path(session: Path) -> Path:
    return session.with_name(f".{session.name}.lock")


def _command() -> str:
    """How this process was started, in words (no paths: the lock file says no more than needed)."""
    args = sys.argv[1:]
    for word, what in (("serve", "ceder serve, in a browser"), ("--plain", "ceder --plain"), ("run", "ceder run")):
        if word in args:
            return what
    return "ceder"


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain(value: object, limit: int) -> str:
    """Text from a lock file, safe to show (anyone who can write the folder could have written it)."""
    return _UNSAFE.sub("", str(value))[:limit]


class SessionLock:
    """An exclusive, non-blocking lock on one session path, for as long as this object holds it."""

    def __init__(self, session: Path) -> None:
        self.session = Path(session)
        self.path = lock_path(self.session)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> SessionLock:
        """Take the lock or raise :class:`SessionLocked` at once (never waits).

        ``OSError`` when the lock file cannot be made (a read-only or missing folder): nor could the session be saved.
        """
        if self._fd is not None or fcntl is None:
            return self
        for _ in range(5):  # the file can be removed between open and lock by a holder that just let go
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _read_holder(fd)
                os.close(fd)
                raise SessionLocked(self.session, holder) from None
            if _same_file(fd, self.path):
                self._fd = fd
                self._write_holder()
                atexit.register(self.release)  # a normal exit tidies the lock file away too
                return self
            os.close(fd)  # we locked a file that was unlinked meanwhile: take the new one
        raise SessionLocked(self.session, Holder(), f"{self.session}: its lock file keeps changing")

    def release(self) -> None:
        """Let go (the kernel does the same if the process dies); the lock file is removed while still held."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        atexit.unregister(self.release)
        try:
            if _same_file(fd, self.path):
                os.unlink(self.path)
        except OSError:
            pass
        os.close(fd)

    def __enter__(self) -> SessionLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        if self._fd is not None:
            os.close(self._fd)

    def _write_holder(self) -> None:
        assert self._fd is not None
        info = {
            "pid": os.getpid(),
            "host": _hostname(),
            "command": _command(),
            "since": datetime.now().strftime("%H:%M on %d %b %Y"),
        }
        try:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, json.dumps(info).encode(), 0)
        except OSError:  # who holds it is a courtesy; the lock is what matters
            pass


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _read_holder(fd: int) -> Holder:
    try:
        raw = json.loads(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
        pid = raw.get("pid")
        return Holder(
            pid=pid if isinstance(pid, int) else None,
            host=_plain(raw.get("host", ""), 100),
            command=_plain(raw.get("command", ""), 100),
            since=_plain(raw.get("since", ""), 40),
        )
    except (OSError, ValueError, AttributeError):
        return Holder()


def _hostname() -> str:
    import socket  # only when a lock is taken or reported: headless reports never load the network stack

    return socket.gethostname()
