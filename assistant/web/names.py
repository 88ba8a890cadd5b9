"""Participants' names and their session files for ``ceder serve`` (plain Python: no web packages needed)."""

from __future__ import annotations

import contextlib
import re
import secrets
from datetime import datetime
from pathlib import Path

MIN_COLUMNS, MAX_COLUMNS = 20, 300
MIN_ROWS, MAX_ROWS = 8, 120
NAME_LIMIT = 60
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clamp_size(width: int, height: int) -> tuple[int, int]:
    return max(MIN_COLUMNS, min(MAX_COLUMNS, width)), max(MIN_ROWS, min(MAX_ROWS, height))


def clean_name(raw: str) -> str:
    """A participant's name or team as typed, made plain text: no controls, single spaces, at most 60 characters."""
    return " ".join(_UNSAFE_NAME.sub("", raw).split())[:NAME_LIMIT]


def file_slug(name: str) -> str:
    """The name as it may appear in a file name (ASCII letters, digits and dashes)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:30].strip("-")
    return slug or "participant"


def fresh_session_path(folder: Path, name: str = "") -> Path:
    """A new, unused session file: the participant, a timestamp and a random suffix (connections can start together)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    who = f"{file_slug(name)}-" if name else ""
    while True:
        path = folder / f"web-{who}{stamp}-{secrets.token_hex(3)}.json"
        if not path.exists():
            return path


def settle_web_session(path: Path, name: str = "") -> Path | None:
    """When a participant leaves: their session, deleted if nothing was answered, else named after the project.

    A browser session starts as ``web-NAME-STAMP-XXXXXX.json`` (the server names it before
    the project is known). Once the connection has ended, a session whose project has a
    name moves to ``PROJECT-NAME-DATE-TIME.json`` beside it, with the lock-first move of
    :func:`flows.naming.move_session`. Returns where the session is (None: deleted).
    """
    from flows import SessionFileError, SessionLocked, load_session
    from flows.locking import SessionLock
    from flows.naming import name_after_project

    if drop_if_empty(path):
        return None
    try:
        session = load_session(path)
    except SessionFileError:
        return path if path.exists() else None
    if not session.project.name.strip():
        return path
    lock = SessionLock(path)
    try:
        lock.acquire()
    except (SessionLocked, OSError):  # still open somewhere: it keeps its name
        return path
    moved = name_after_project(path, lock, session.project.name, session.created, who=name)
    if moved is None:
        lock.release()
        return path
    moved[1].release()
    return moved[0]


def drop_if_empty(path: Path) -> bool:
    """Delete a web session nobody answered anything in (and its lock file); True if it was deleted."""
    from flows import SessionFileError, load_session
    from flows.locking import lock_path

    try:
        session = load_session(path)
    except SessionFileError:
        return False  # missing, or not ours to judge
    if session.answers or session.notes:
        return False
    for p in (path, lock_path(path)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    return True
