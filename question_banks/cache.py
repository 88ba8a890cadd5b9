"""A private cache of validated banks, keyed on the content of the bank's own files.

Loading the shipped bank (YAML, validation, lint, and building pydantic's validators
first) takes 30-50 ms; unpickling the validated :class:`~question_banks.schema.Bank` takes
a few. Every front end loads through :func:`load_bank_cached` (``assistant.shared.
load_bank_or_fail``); only ``ceder validate`` always reads and lints the files.

What the cache promises: it never shows a bank other than the one on disk. The key
is a SHA-256 of the content (and names) of exactly the files the loader reads, the
top-level ``*.yaml``/``*.yml`` of the bank folder (its documents mapping included),
plus this package's source and shipped standards, Python's version and pydantic's. File times and sizes play no part, so an edit of the
same length with its time restored, or a copy that preserves times, is seen; and
nothing else in the folder is read, so a ``.git`` folder beside the bank costs nothing.
A bank that changes while it is being loaded is not cached.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from question_banks.schema import Bank

FORMAT = 3
"""Bumped whenever what is pickled changes shape."""
_SUFFIXES = (".yaml", ".yml")
_MAX_BYTES = 1024 * 1024
"""The loader's own limit for a whole bank (``loader.MAX_BANK_BYTES``): a larger bank is never cached."""


class _Uncacheable(Exception):
    """The folder holds something the cache does not cover (a non-regular entry, too much data)."""


def content_key(folder: Path) -> str:
    """The SHA-256 of what a loaded bank depends on; raises :class:`_Uncacheable` or ``OSError``.

    Reads only the folder's top-level ``*.yaml``/``*.yml`` entries (what the loader reads),
    each of which must be a regular file, at most 1 MB in all; never opens anything else.
    """
    digest = hashlib.sha256()
    digest.update(f"ceder-bank-cache {FORMAT}\0{sys.version}\0".encode())
    total = 0
    with os.scandir(folder) as entries:
        names = sorted(e.name for e in entries if e.name.endswith(_SUFFIXES))
    for name in names:
        # O_NONBLOCK: a FIFO opens without waiting for a writer and is then refused as non-regular.
        fd = os.open(folder / name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise _Uncacheable(f"{name} is not a regular file")
            total += st.st_size
            if total > _MAX_BYTES:
                raise _Uncacheable("the bank is over the size limit")
            data = _read_all(fd, _MAX_BYTES + 1)
        finally:
            os.close(fd)
        digest.update(f"\0file {name} {len(data)}\0".encode())
        digest.update(data)
    package = Path(__file__).parent
    # The code that validates and lints a bank, and the standards a bank's documents mapping is checked against.
    for source in [*sorted(package.glob("*.py")), *sorted((package / "standards").glob("*.yaml"))]:
        digest.update(f"\0code {source.relative_to(package)}\0".encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _read_all(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(fd, min(1 << 16, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def cache_file(folder: Path, cache_dir: Path) -> Path:
    """One cache file per bank folder, so switching between banks does not thrash."""
    return cache_dir / f"bank-{hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]}.pickle"


def read_private(path: Path, cache_dir: Path) -> bytes:
    """The bytes of ``path`` if it and its folder are private to this user; raises otherwise.

    A pickle is code: it is read only from a regular file that this user owns and
    nobody else can write, in a folder nobody else can write.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        for st in (os.stat(cache_dir, follow_symlinks=False), os.fstat(fd)):
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                raise PermissionError(f"{path} is not private")
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise PermissionError(f"{path} is not a regular file")
        return _read_all(fd, 64 * _MAX_BYTES)
    finally:
        os.close(fd)


SHIPPED = Path(__file__).resolve().parent / "shipped"
"""``loader.shipped_bank_dir()``, without importing the loader."""


def _load(folder: Path) -> Bank:
    from question_banks.loader import load_bank

    return load_bank(folder)


def _pydantic_version() -> str:
    from pydantic.version import VERSION

    return VERSION


def load_bank_cached(directory: Path | str | None, cache_dir: Path | None) -> Bank:
    """:func:`~question_banks.loader.load_bank`, through a pickle of the validated bank kept in ``cache_dir``.

    The pickle is used only if its key (see the module's docstring) matches the bank on
    disk now; otherwise, or if it cannot be read for any reason, the bank is loaded and
    linted as usual and the cache rewritten (atomically, 0600; a failure to write is
    ignored). A bank with problems raises :class:`~question_banks.loader.BankError`
    exactly as ``load_bank`` does and is never cached. ``cache_dir`` should be private to
    the user: a cache file or folder that others could write is never unpickled. With
    ``cache_dir`` None, this is ``load_bank``.
    """
    from question_banks.schema import Bank  # the loader (YAML, the linter) only when the cache misses

    folder = Path(directory) if directory is not None else SHIPPED
    if cache_dir is None:
        return _load(folder)
    try:
        key = content_key(folder)
        path = cache_file(folder, cache_dir)
    except (OSError, _Uncacheable, ValueError):
        return _load(folder)
    try:
        envelope: dict[str, Any] = pickle.loads(read_private(path, cache_dir))
        if (
            envelope.get("format") == FORMAT
            and envelope.get("key") == key
            and envelope.get("pydantic") == _pydantic_version()
        ):
            bank = pickle.loads(envelope["bank"])
            if isinstance(bank, Bank):
                return bank
    except Exception:  # missing, corrupt, stale, foreign or not private: rebuilt below
        pass
    bank = _load(folder)
    try:
        if content_key(folder) != key:
            return bank  # changed while it was loading: which version was read is unknown
        envelope = {
            "format": FORMAT,
            "key": key,
            "pydantic": _pydantic_version(),
            "bank": pickle.dumps(bank, protocol=pickle.HIGHEST_PROTOCOL),
        }
        write_cache_file(path, pickle.dumps(envelope, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # the cache is optional: a read-only or full disk only costs time
        pass
    return bank


def write_cache_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, private to this user (0600 in a 0700 folder)."""
    import tempfile  # only to write: a launch that reads a current cache never needs it

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".bank-", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
