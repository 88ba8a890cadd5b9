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
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.chmod(home, 0o700)
    except OSError:
        pass
    return home


def sessions_dir() -> Path:
    folder = data_home() / "sessions"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def exports_dir() -> Path:
    folder = data_home() / "exports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder
