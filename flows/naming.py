"""Session files named after the project, and moving a locked session to its new name safely.

A new assessment that ceder names itself (in its own sessions folder, never a path the
user gave with ``--session``) starts as ``assessment-YYYYMMDD-HHMMSS.json``, because the
file is written before the first question and the project's name is asked after. When
the project is first given a name, the file takes it: ``dv-perpetrator-triage-2026-11-30-1612.json``
(the name made safe, then the date and time the assessment began). It moves once: a file
already named after a project keeps its name when the project is renamed later, so a
path the user has noted (a resume command, a script, a shared link) keeps working, and
reports, the resume list and ``compare`` read the name from inside the file anyway.

Moving is :func:`move_session`: take the lock on the new name, rename the file there
atomically without replacing anything, then let go of the old name's lock. At every
moment exactly one name holds the session, so a crash at any step leaves one readable
session (see the function).
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

from flows.locking import SessionLock, SessionLocked

PROVISIONAL = re.compile(r"^assessment-\d{8}-\d{6}(?:-\d+)?\.json$")
"""The name ceder gives a new session before the project has a name (see :func:`provisional_path`)."""
SLUG_LIMIT = 48


def provisional_path(folder: Path, when: datetime | None = None) -> Path:
    """A new, unused ``assessment-STAMP.json`` in ``folder``: the name a session has until the project is named."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = folder / f"assessment-{stamp}.json"
    n = 1
    while os.path.lexists(path):
        n += 1
        path = folder / f"assessment-{stamp}-{n}.json"
    return path


def is_provisional(path: Path) -> bool:
    return PROVISIONAL.match(path.name) is not None


def slug(text: str, limit: int = SLUG_LIMIT) -> str:
    """``text`` as a safe file name part: ASCII lower-case letters, digits and single dashes ("" if none are left).

    Accents are dropped (Café -> cafe); anything else (spaces, slashes, dots, controls,
    other scripts) separates words. Cut at a word boundary to at most ``limit`` characters.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            return out or word[:limit]
        out = candidate
    return out


def project_path(folder: Path, project: str, created: datetime, *, n: int = 1, who: str = "") -> Path | None:
    """The file named after ``project`` (and ``who``, for a workshop participant): None if the name gives no slug.

    ``n`` > 1 adds ``-n`` for a name already taken.
    """
    base = slug(project)
    if not base:
        return None
    person = slug(who, 24)
    when = created.astimezone().strftime("%Y-%m-%d-%H%M") if created.tzinfo else created.strftime("%Y-%m-%d-%H%M")
    parts = [base, person, when] if person else [base, when]
    return folder / ("-".join(parts) + (f"-{n}" if n > 1 else "") + ".json")


def move_session(path: Path, lock: SessionLock | None, new_path: Path) -> SessionLock:
    """Move the session at ``path`` (held by ``lock``) to ``new_path``; return the lock now held on the new name.

    The steps, and what a crash after each leaves:

    1. take the lock on ``new_path`` (another ceder holding it, or a file already there,
       raises :class:`~flows.locking.SessionLocked` or ``FileExistsError``; nothing moved);
       a crash leaves the session at ``path`` and, at most, an unheld lock file, which means nothing;
    2. rename ``path`` to ``new_path`` in one step that never replaces a file
       (``renameat2(RENAME_NOREPLACE)``), then make the rename durable (fsync the folder);
       a crash before the rename leaves the session at ``path``, after it at ``new_path``:
       one name at every moment, never both, never neither (a failed rename lets go of
       the new lock and changes nothing);
    3. let go of the old name's lock (its lock file is removed).

    The contents are not rewritten: they were saved, complete, before the move began.
    """
    new_lock = SessionLock(new_path).acquire()
    try:
        if os.path.lexists(new_path):
            raise FileExistsError(errno.EEXIST, "already exists", str(new_path))
        _rename(path, new_path)
    except BaseException:
        new_lock.release()
        raise
    _sync_folder(new_path.parent)
    if lock is not None:
        lock.release()
    return new_lock


def _rename(src: Path, dst: Path) -> None:
    """Rename ``src`` to ``dst``, failing with ``FileExistsError`` rather than replacing anything at ``dst``."""
    if _renameat2(src, dst):
        return
    # No renameat2 (not Linux, an old kernel, a file system without it): a hard link also fails on
    # an existing name; a crash between link and unlink leaves two names for one file (nothing lost).
    try:
        os.link(src, dst, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if os.path.lexists(dst):
            raise FileExistsError(errno.EEXIST, "already exists", str(dst)) from None
        os.replace(src, dst)  # checked under dst's lock: only a process outside ceder could race it
        return
    os.unlink(src)


_RENAME_NOREPLACE = 1
_AT_FDCWD = -100


def _renameat2(src: Path, dst: Path) -> bool:
    """``renameat2(..., RENAME_NOREPLACE)``; False when this system cannot do it (the caller falls back)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    if fn(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), _RENAME_NOREPLACE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    if err == errno.EEXIST:
        raise FileExistsError(errno.EEXIST, "already exists", str(dst))
    raise OSError(err, os.strerror(err), str(dst))


def _sync_folder(folder: Path) -> None:
    """Make a rename durable; best effort, for the rename is done and must not be reported as failed."""
    from flows.persistence import sync_folder

    try:
        sync_folder(folder)
    except OSError:  # pragma: no cover - a file system that cannot sync folders
        pass


def name_after_project(
    path: Path, lock: SessionLock | None, project: str, created: datetime, who: str = ""
) -> tuple[Path, SessionLock] | None:
    """Move the session to the first free name after ``project`` (and ``who``) in its folder; None if it stays.

    It stays when the project name gives no slug or the move fails (the session is then
    still saved, complete, at ``path``). Callers decide whether the file may move at all.
    """
    for n in range(1, 100):
        target = project_path(path.parent, project, created, n=n, who=who)
        if target is None:
            return None
        try:
            return target, move_session(path, lock, target)
        except (SessionLocked, FileExistsError):
            continue  # taken: the next number
        except OSError:
            return None
    return None
