"""Saving and loading sessions: atomic, private, and never overwriting what it cannot read."""

from __future__ import annotations

import errno
import glob
import json
import math
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from flows.session import SCHEMA_VERSION, Session
from flows.tempfiles import removed_on_stop
from question_banks.files import FileRefused, read_limited, size_text

MAX_SESSION_BYTES = 20 * 1024 * 1024
STALE_TEMP_SECONDS = 60.0
"""A temporary file this old beside a session is left over from a killed write, not one in progress."""


class SessionFileError(Exception):
    """A session file that cannot be used; the message names the file and the reason."""


TEMP_MARK = "ceder-"
"""Temporary files are ``.NAME.ceder-XXXXXXXX.tmp``: recognisably ours, so only ours are ever cleaned up."""


class WriteRefused(OSError):
    """A write refused before anything was written (the file exists, is a folder...); one line, no path."""


def atomic_write(path: Path, data: bytes, mode: int = 0o600, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new one, never a mix.

    The temporary file is created private, flushed and fsynced, renamed over the
    target, and the folder is fsynced so the rename itself survives a power cut.
    With ``exclusive`` the new file is linked into place instead, which fails if
    anything (a file, a symlink) appeared there meanwhile: never over what exists.
    """
    path = Path(path)
    if path.exists() and not path.is_file():
        # Never rename over a device, pipe or folder (``-o /dev/null --force`` must not replace /dev/null).
        raise (
            IsADirectoryError(errno.EISDIR, "not a regular file", str(path))
            if path.is_dir()
            else OSError(errno.EINVAL, "not a regular file", str(path))
        )
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{TEMP_MARK}", suffix=".tmp", dir=folder)
    try:
        with removed_on_stop(tmp):  # SIGTERM or SIGHUP mid-write: no temporary file left behind
            os.fchmod(fd, mode)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if exclusive:
                _link_new(tmp, path)
            else:
                os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    sync_folder(folder)


def sync_folder(folder: Path) -> None:
    """fsync a folder, so that a rename or a new name in it survives a power cut."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _link_new(tmp: str, path: Path) -> None:
    """Put ``tmp`` at ``path`` only if nothing is there: a hard link fails atomically if the name is taken."""
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise WriteRefused(errno.EEXIST, "already exists (use --force to overwrite)", str(path)) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        if os.path.lexists(path):  # a file system without hard links: check, then rename (a small window)
            raise WriteRefused(errno.EEXIST, "already exists (use --force to overwrite)", str(path)) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def write_private(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """The one way ceder writes a user's data to a path they named (reports, exports, sessions by command).

    Atomic and 0600 (:func:`atomic_write`). Nothing that exists is replaced unless
    ``overwrite`` (the user's explicit ``--force``): not a file, not a symlink, and
    never through a symlink, whose target is left alone even then (the link itself
    is replaced). A pipe or device is written into, never replaced, only with
    ``overwrite``, and without waiting for a reader. A folder is refused.
    Temporary files that a killed write of the same name left behind are removed.
    Raises ``OSError`` (:class:`WriteRefused` for a refusal) whose ``strerror`` is one line.
    """
    path = Path(path)
    try:
        st: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise WriteRefused(exc.errno or errno.EIO, exc.strerror or str(exc), str(path)) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise WriteRefused(errno.EISDIR, "is a folder", str(path))
    if st is not None and not overwrite:
        what = "already exists" if stat.S_ISREG(st.st_mode) else f"already exists ({_kind(st.st_mode)})"
        raise WriteRefused(errno.EEXIST, f"{what}; use --force to overwrite", str(path))
    if st is not None and not stat.S_ISREG(st.st_mode) and not stat.S_ISLNK(st.st_mode):
        _write_into(path, data)
        return
    remove_stale_temps(path)
    if st is not None and stat.S_ISLNK(st.st_mode):
        os.unlink(path)  # replace the link itself; its target is never written
        st = None
    atomic_write(path, data, exclusive=st is None)


def write_new_in(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` privately into ``folder`` as ``name``, or ``stem-2.ext``... if taken: never over anything.

    Used for exports the user did not name a path for (the TUI's). ``name`` is a bare
    file name; temporary files of exports killed before they finished are removed.
    """
    remove_stale_temps_in(folder)
    base = Path(Path(name).name)
    for n in range(1, 1000):
        path = folder / (base.name if n == 1 else f"{base.stem}-{n}{base.suffix}")
        try:
            write_private(path, data)
        except WriteRefused as exc:
            if exc.errno != errno.EEXIST:
                raise
            continue
        return path
    raise WriteRefused(errno.EEXIST, f"{folder}: 999 files named {base.stem}-N{base.suffix} already")


def _kind(mode: int) -> str:
    from question_banks.files import kind_of

    return kind_of(mode)


def _write_into(path: Path, data: bytes) -> None:
    """Write into a pipe or device the user chose with ``--force`` (``/dev/null``), never waiting on open."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise WriteRefused(errno.ENXIO, "a pipe that nothing is reading from", str(path)) from None
        raise
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def json_text(model: BaseModel) -> str:
    """A model as indented JSON that is safe to show in a terminal.

    The encoder escapes C0 controls but writes DEL and C1 (U+009B is a terminal's CSI) as they are;
    escape them too, so that showing the file (cat, less) can never drive the terminal.
    """
    return escape_controls(model.model_dump_json(indent=2))


def escape_controls(json_document: str) -> str:
    """A JSON text with DEL and C1 characters written as ``\\u`` escapes (the encoders write them raw)."""
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", json_document)


def json_dumps(value: Any) -> str:
    """``json.dumps`` (indented, Unicode kept) that is safe to print: no raw DEL or C1 control."""
    return escape_controls(json.dumps(value, indent=2, ensure_ascii=False))


class SessionTooLarge(ValueError):
    """Saving would make a session larger than ceder opens (:data:`MAX_SESSION_BYTES`); nothing was written."""


def session_bytes(session: Session) -> bytes:
    """The file a session saves as, refused if it would be too large to open again."""
    data = json_text(session).encode("utf-8") + b"\n"
    if len(data) > MAX_SESSION_BYTES:
        raise SessionTooLarge(
            f"the session would be {size_text(len(data))}, over the {size_text(MAX_SESSION_BYTES)} ceder can open"
        )
    return data


def save_session(path: Path, session: Session) -> bytes:
    """Write ``session`` atomically and privately, returning what was written.

    Raises :class:`SessionTooLarge` (writing nothing) if the file could not be opened again.
    """
    data = session_bytes(session)
    atomic_write(Path(path), data)
    return data


class NonFinite(ValueError):
    """NaN or an infinity in a session file: JSON has no such numbers, so the session could not be saved back."""


def save_new_session(path: Path, session: Session, overwrite: bool = False) -> None:
    """Write a session made elsewhere (``ceder run --save``): the safe writer, under the session's lock.

    Raises :class:`~flows.locking.SessionLocked` when a ceder has that session open:
    replacing it would silently undo that process's answers, and its next save ours.
    """
    from flows.locking import SessionLock

    with SessionLock(path):
        write_private(path, session_bytes(session), overwrite=overwrite)


def _no_constant(name: str) -> Any:
    raise NonFinite(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):  # 1e999
        raise NonFinite(f"{text[:20]} is too large a number")
    return number


Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}
"""Step ``n`` turns a schema-``n`` document into a schema-``n + 1`` one.

Version 1 is the first released schema, so there are no steps yet. When a release
changes the session schema it bumps ``SCHEMA_VERSION`` and adds the step from the
version before; old files are then upgraded in memory on load, step by step, and
written in the new schema at the next save (never before: opening does not write).
"""


def migrate(raw: dict[str, Any], current: int | None = None) -> dict[str, Any]:
    """Bring an older session document up to schema ``current`` (default: this version's)."""
    target = SCHEMA_VERSION if current is None else current
    version = raw["schema_version"]
    while version < target:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ValueError(f"no migration from session schema {version} to {version + 1}")
        raw = step(dict(raw))
        version += 1
        raw["schema_version"] = version
    return raw


def load_session(path: Path) -> Session:
    """Read a session, raising :class:`SessionFileError` with a one-line reason."""
    path = Path(path)
    try:
        raw_bytes = read_limited(path, MAX_SESSION_BYTES)
    except FileRefused as exc:
        reason = exc.reason.replace("cannot read file:", "cannot read session file:")
        raise SessionFileError(f"{path}: {reason.replace('file is too large', 'session file is too large')}") from None
    if not raw_bytes.strip():
        raise SessionFileError(f"{path}: session file is empty")
    try:
        # A byte-order mark from a Windows editor is harmless; NaN and Infinity are not JSON and could not be saved back.
        raw = json.loads(raw_bytes.decode("utf-8-sig"), parse_constant=_no_constant, parse_float=_finite)
    except UnicodeDecodeError:
        raise SessionFileError(f"{path}: not a ceder session (binary data, not JSON text)") from None
    except json.JSONDecodeError as exc:
        raise SessionFileError(
            f"{path}: not a ceder session (invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except NonFinite as exc:
        raise SessionFileError(f"{path}: damaged session file ({exc}; ceder never writes one)") from None
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number; arrays nested 100,000 deep
        raise SessionFileError(f"{path}: not a ceder session ({str(exc).splitlines()[0]})") from None
    if not isinstance(raw, dict) or "schema_version" not in raw or "bank" not in raw:
        raise SessionFileError(f"{path}: not a ceder session (no schema_version or bank)")
    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SessionFileError(f"{path}: not a ceder session (schema_version is not a number)")
    if version > SCHEMA_VERSION:
        raise SessionFileError(
            f"{path}: written by a newer ceder (session schema {version}; this version reads up to {SCHEMA_VERSION})"
        )
    if version < 1:
        raise SessionFileError(f"{path}: not a ceder session (schema_version {version})")
    try:
        raw = migrate(raw)
    except (ValueError, KeyError, TypeError) as exc:
        raise SessionFileError(f"{path}: cannot upgrade this older session ({exc})") from None
    try:
        session = Session.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"]) or "(document)"
        raise SessionFileError(f"{path}: damaged session file ({where}: {err['msg']})") from None
    try:  # what is opened must save again: JSON can spell text (lone surrogates) that UTF-8 cannot hold
        session_bytes(session)
    except SessionTooLarge as exc:  # a hand-compacted file that ceder's own layout would take over the cap
        raise SessionFileError(f"{path}: session file too large to save again ({exc})") from None
    except ValueError:
        raise SessionFileError(f"{path}: damaged session file (text that is not valid Unicode)") from None
    remove_stale_temps(path)
    return session


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files that a killed :func:`atomic_write` of ``path`` left behind (never the file itself)."""
    _remove_old(path.parent.glob(f".{glob.escape(path.name)}.*.tmp"))


def remove_stale_temps_in(folder: Path) -> None:
    """Delete every temporary file a killed :func:`atomic_write` left in ``folder`` (ours only: marked, 0600, mine)."""
    _remove_old(folder.glob(f".*.{TEMP_MARK}*.tmp"))


def _remove_old(candidates: Iterable[Path]) -> None:
    cutoff = time.time() - STALE_TEMP_SECONDS
    for tmp in candidates:
        try:
            st = tmp.lstat()
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and st.st_mtime < cutoff:
                tmp.unlink()
        except OSError:
            pass
