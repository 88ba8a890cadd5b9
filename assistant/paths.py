"""Where ceder keeps its files: ``$CEDER_HOME`` or the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "ceder"


def data_home() -> Path:
    """The data folder, created private (0700) if it does not exist."""
    override = os.environ.get("CEDER_HOME")
    if override:
        home = Path(override).expanduser()
    else:
        from platformdirs import user_data_path

        home = user_data_path(APP_NAME, appauthor=False)
    return _private(home)


def _private(folder: Path) -> Path:
    """``folder``, created if missing, readable by its owner only (an existing folder is tightened too)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.chmod(folder, 0o700)
    except OSError:
        pass
    return folder


def sessions_dir() -> Path:
    return _private(data_home() / "sessions")


def cache_dir() -> Path:
    """Rebuildable files (the validated-bank cache); safe to delete."""
    return _private(data_home() / "cache")


def exports_dir() -> Path:
    return _private(data_home() / "exports")
