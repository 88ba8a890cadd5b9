"""Where sessions are: the latest unfinished one, and a fresh file name. Plain Python, for every front end."""

from __future__ import annotations

from pathlib import Path


def latest_unfinished(folder: Path) -> Path | None:
    """The most recently changed session in ``folder`` that has not reached its summary."""
    best: tuple[float, Path] | None = None
    for path in folder.glob("*.json"):
        from flows import SessionFileError, load_session  # only when there is a session to look at

        try:
            # The same reader that will open it: damaged, foreign or newer files are never offered.
            if load_session(path).finished:
                continue
            mtime = path.stat().st_mtime
        except (SessionFileError, OSError):
            continue
        if best is None or mtime > best[0]:
            best = (mtime, path)
    return best[1] if best else None


def new_session_path(folder: Path) -> Path:
    """A fresh ``assessment-STAMP.json``: the name a new session has until the project is named (flows.naming)."""
    from flows.naming import provisional_path

    return provisional_path(folder)
