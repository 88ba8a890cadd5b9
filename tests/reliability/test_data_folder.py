"""The data folder (issue 13, item 8).

Only folders ceder creates are made private; an existing folder is never changed. A data
or sessions folder that another user owns, or that others can write, is refused in one
line with the fix (a session planted there is never resumed). ``CEDER_HOME`` that is a
file or read-only gets a clear message; with ``--session`` elsewhere a read-only home works.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SMALL_BANK
from tests.reliability.conftest import Run, ceder_env, no_traceback

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def run_with_home(home: Path | str, *args: str, input: str = "") -> Run:
    import sys

    env = ceder_env()
    env["CEDER_HOME"] = str(home)
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "--bank", str(SMALL_BANK), *args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr, 0.0)


def one_line(run: Run, *words: str) -> str:
    no_traceback(run)
    assert run.code == 1, run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_shared_folder_named_by_the_user_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    line = one_line(run_with_home(shared, "--plain"), str(shared), "written by other users", "chmod go-w")
    assert "1777" in line
    assert mode(shared) == 0o1777  # never tightened: it is not ceder's to change
    assert not (shared / "sessions").exists()


def test_a_planted_session_is_never_resumed(tmp_path: Path) -> None:
    """A sessions folder others can write: someone could have planted an 'unfinished assessment' there."""
    home = tmp_path / "home"
    (home / "sessions").mkdir(parents=True)
    home.chmod(0o700)
    (home / "sessions").chmod(0o777)
    planted = home / "sessions" / "planted.json"
    from flows import Assessment, save_session
    from question_banks import load_bank

    a = Assessment(load_bank(SMALL_BANK))
    a.start()
    a.answer("live")
    save_session(planted, a.session)
    before = planted.read_bytes()
    run = run_with_home(home, "--plain", input="1\n")
    one_line(run, "sessions", "written by other users")
    assert "planted" not in run.out and planted.read_bytes() == before
    assert mode(home / "sessions") == 0o777


@pytest.mark.skipif(not ROOT, reason="giving a folder to another user needs root")
def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 65534, 65534)
    one_line(run_with_home(theirs, "--plain"), "belongs to another user", "CEDER_HOME")


def test_a_folder_of_another_user_is_refused_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same check without root: this process pretends to be someone else."""
    from assistant import paths

    monkeypatch.setenv("CEDER_HOME", str(tmp_path))
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)
    with pytest.raises(paths.DataFolderError, match="belongs to another user"):
        paths.sessions_dir()


def test_ceder_home_that_is_a_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder")
    one_line(run_with_home(home, "--plain"), str(home), "is a file, not a folder")
    one_line(run_with_home(home / "sub", "--plain"), "a file is in the way")


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write into, whoever it runs as."""
    if not ROOT:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        return folder
    proc = Path("/proc")  # root writes anywhere, but nothing can create a folder in /proc
    if proc.is_dir():
        return proc
    pytest.skip("no folder this user cannot write")


def test_a_read_only_home_gets_a_clear_message_and_session_elsewhere_still_works(tmp_path: Path) -> None:
    home = _read_only_folder(tmp_path) / "ceder-home"
    one_line(run_with_home(home, "--plain"), str(home), "cannot be created", "--session")
    session = tmp_path / "elsewhere.json"
    ok = run_with_home(home, "--plain", "--session", str(session), input="2\n")
    no_traceback(ok)
    assert ok.code == 0, ok.err
    assert session.exists()
    # and the TUI's start-up path (bank cache optional) too
    from assistant.launch import load_bank_for_tui

    os.environ["CEDER_HOME"] = str(home)
    try:
        assert load_bank_for_tui(str(SMALL_BANK)).id == "fixture-small"
    finally:
        del os.environ["CEDER_HOME"]


def test_folders_ceder_creates_are_private(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        run = run_with_home(tmp_path / "new" / "home", "--plain", input="")
    finally:
        os.umask(old)
    assert run.code == 0, run.err
    home = tmp_path / "new" / "home"
    assert mode(home) == 0o700 and mode(home / "sessions") == 0o700
