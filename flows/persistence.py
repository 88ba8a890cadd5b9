"""Saving and loading sessions: atomic, private, and never overwriting what it cannot read."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from flows.session import SCHEMA_VERSION, Session

MAX_SESSION_BYTES = 20 * 1024 * 1024


class SessionFileError(Exception):
    """A session file that cannot be used; the message names the file and the reason."""


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new one, never a mix.

    The temporary file is created private, flushed and fsynced, renamed over the
    target, and the folder is fsynced so the rename itself survives a power cut.
    """
    path = Path(path)
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


def save_session(path: Path, session: Session) -> None:
    data = session.model_dump_json(indent=2).encode("utf-8") + b"\n"
    atomic_write(Path(path), data)


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """Bring an older session document up to the current schema.

    Version 1 is the first released schema, so there is nothing to migrate yet;
    each later version adds one step here, oldest first.
    """
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
        raw = json.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise SessionFileError(f"{path}: not a ceder session (binary data, not JSON text)") from None
    except json.JSONDecodeError as exc:
        raise SessionFileError(
            f"{path}: not a ceder session (invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(raw, dict) or "schema_version" not in raw or "bank" not in raw:
        raise SessionFileError(f"{path}: not a ceder session (no schema_version or bank)")
    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SessionFileError(f"{path}: not a ceder session (schema_version is not a number)")
    if version > SCHEMA_VERSION:
        raise SessionFileError(
            f"{path}: written by a newer ceder (session schema {version}; this version reads up to {SCHEMA_VERSION})"
        )
    try:
        return Session.model_validate(migrate(raw))
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"]) or "(document)"
        raise SessionFileError(f"{path}: damaged session file ({where}: {err['msg']})") from None
