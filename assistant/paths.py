"""Where ceder keeps its files: ``$CEDER_HOME`` or the platform's user data folder.

Assessments are private, and ceder resumes what it finds in its sessions folder,
so every folder it uses must belong to the user and be writable by nobody else
(otherwise anyone could plant a session that ceder would then resume, or read
one). A folder ceder creates is made 0700. A folder that already exists is never
changed (a shared 1777 folder named by the user must stay as it is): if it is not
private enough it is refused, in one line that says why and how to fix it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from assistant.errors import CliError

APP_NAME = "ceder"


class DataFolderError(CliError):
    """A data folder ceder cannot safely use; the message is one line with the fix."""


def data_home() -> Path:
    """The data folder, created private (0700) if it does not exist, refused if it is not private."""
    override = os.environ.get("CEDER_HOME")
    if override:
        return checked_folder(Path(override).expanduser(), "CEDER_HOME")
    from platformdirs import user_data_path

    return checked_folder(user_data_path(APP_NAME, appauthor=False), "the data folder")


def checked_folder(folder: Path, what: str) -> Path:
    """``folder``, created 0700 if missing; a file, a folder of another user or one others can write is refused."""
    try:
        folder.mkdir(parents=True, mode=0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise DataFolderError(_cannot_create(folder, what, exc)) from None
    else:
        try:
            os.chmod(folder, 0o700)  # ours: private whatever the umask
        except OSError:  # pragma: no cover - created a moment ago, so ours to change
            pass
    try:
        st = os.stat(folder)
    except OSError as exc:
        raise DataFolderError(f"{folder} ({what}): cannot use it: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise DataFolderError(
            f"{folder} ({what}) is a file, not a folder; move it away, or set CEDER_HOME to a folder of your own"
        )
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise DataFolderError(
            f"{folder} ({what}) belongs to another user (uid {st.st_uid}), who could read or plant assessments; "
            "set CEDER_HOME to a folder of your own"
        )
    if st.st_mode & 0o022:
        raise DataFolderError(
            f"{folder} ({what}) can be written by other users (mode {stat.S_IMODE(st.st_mode):o}), who could plant "
            f"assessments there; run: chmod go-w '{folder}' (or set CEDER_HOME to a private folder)"
        )
    return folder


def _cannot_create(folder: Path, what: str, exc: OSError) -> str:
    if exc.errno == errno.ENOTDIR:
        return f"{folder} ({what}): a file is in the way of this folder; set CEDER_HOME to a folder of your own"
    reason = "read-only" if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM) else exc.strerror or str(exc)
    return (
        f"{folder} ({what}) cannot be created ({reason}); set CEDER_HOME to a folder you can write, "
        "or open a session elsewhere with --session PATH"
    )


def writable_folder(folder: Path, what: str) -> Path:
    """:func:`checked_folder` for a folder ceder writes new files into: a read-only one is refused up front."""
    checked_folder(folder, what)
    if not os.access(folder, os.W_OK):
        raise DataFolderError(
            f"{folder} ({what}) is read-only; set CEDER_HOME to a folder you can write, "
            "or open a session elsewhere with --session PATH"
        )
    return folder


def sessions_dir() -> Path:
    return writable_folder(data_home() / "sessions", "the sessions folder")


def cache_dir() -> Path | None:
    """Rebuildable files (the validated-bank cache); None when it cannot be used, for the cache is optional."""
    try:
        return writable_folder(data_home() / "cache", "the cache folder")
    except CliError:
        return None


def exports_dir() -> Path:
    return writable_folder(data_home() / "exports", "the exports folder")
