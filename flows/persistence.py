"""Saving and loading sessions: atomic, private, and never overwriting what it cannot read."""

from __future__ import annotations

import errno
import glob
import json
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from flows.session import SCHEMA_VERSION, Session

MAX_SESSION_BYTES = 20 * 1024 * 1024
STALE_TEMP_SECONDS = 60.0
"""A temporary file this old beside a session is left over from a killed write, not one in progress."""


class SessionFileError(Exception):
    """A session file that cannot be used; the message names the file and the reason."""


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new one, never a mix.

    The temporary file is created private, flushed and fsynced, renamed over the
    target, and the folder is fsynced so the rename itself survives a power cut.
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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def json_text(model: BaseModel) -> str:
    """A model as indented JSON that is safe to show in a terminal.

    The encoder escapes C0 controls but writes DEL and C1 (U+009B is a terminal's CSI) as they are;
    escape them too, so that showing the file (cat, less) can never drive the terminal.
    """
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", model.model_dump_json(indent=2))


def save_session(path: Path, session: Session) -> None:
    atomic_write(Path(path), json_text(session).encode("utf-8") + b"\n")


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
        size = path.stat().st_size
        if size > MAX_SESSION_BYTES:
            raise SessionFileError(f"{path}: session file is too large ({size} bytes)")
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise SessionFileError(f"{path}: cannot read session file: {exc.strerror or exc}") from None
    if not raw_bytes.strip():
        raise SessionFileError(f"{path}: session file is empty")
    try:
        raw = json.loads(raw_bytes.decode("utf-8-sig"))  # a byte-order mark from a Windows editor is harmless
    except UnicodeDecodeError:
        raise SessionFileError(f"{path}: not a ceder session (binary data, not JSON text)") from None
    except json.JSONDecodeError as exc:
        raise SessionFileError(
            f"{path}: not a ceder session (invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
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
        session.model_dump_json()
    except ValueError:
        raise SessionFileError(f"{path}: damaged session file (text that is not valid Unicode)") from None
    remove_stale_temps(path)
    return session


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files that a killed :func:`atomic_write` of ``path`` left behind (never the file itself)."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if tmp.is_file() and not tmp.is_symlink() and tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:
            pass
