"""Reading the user's files safely: regular files only, a hard byte limit, never blocking on open.

Every file ceder reads on the user's say-so (a bank file, an answers file, a session)
comes through :func:`read_limited`. A path can name anything: ``/dev/zero`` (endless),
a FIFO (``open`` waits for a writer forever), a terminal, ``<(process substitution)``
(a pipe whose size is unknown). Such paths are refused before they are opened, the
open itself cannot block (``O_NONBLOCK``), what was opened is checked again (the path
may have been swapped in between), and at most ``limit + 1`` bytes are ever read,
so a file that grows while it is read cannot exhaust memory either.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileRefused(OSError):
    """A file that cannot be read as asked; ``reason`` is one line without the path."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words (``a pipe``, ``a device``...)."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def not_regular(path: Path, mode: int) -> FileRefused:
    kind = kind_of(mode)
    what = "not a regular file" if kind.startswith("not ") else f"{kind}, not a regular file"
    return FileRefused(path, f"cannot read file: it is {what}")


def size_text(n: float) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 100_000 else f"{n:,.0f} bytes"


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, refusing anything else and anything over ``limit`` bytes.

    Raises :class:`FileRefused` (an ``OSError``) with a one-line reason.
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise FileRefused(path, f"cannot read file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise not_regular(path, st.st_mode)
    if st.st_size > limit:
        raise FileRefused(path, too_large(st.st_size, limit))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileRefused(path, f"cannot read file: {exc.strerror or exc}") from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # swapped for something else after the check above
            raise not_regular(path, opened.st_mode)
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except FileRefused:
        raise
    except OSError as exc:
        raise FileRefused(path, f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if got > limit:
        raise FileRefused(path, too_large(got, limit, growing=True))
    return b"".join(chunks)


def too_large(size: int, limit: int, growing: bool = False) -> str:
    grew = "more than " if growing else ""
    return f"file is too large ({grew}{size_text(size)}; the limit is {size_text(limit)})"
