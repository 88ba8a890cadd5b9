"""Session files named after the project: safe names, and a move that a crash at any step cannot split or lose."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows import Assessment, SessionFileError, SessionLocked, load_session, naming
from flows.locking import SessionLock, lock_path
from flows.naming import is_provisional, move_session, name_after_project, project_path, provisional_path, slug
from question_banks import Bank
from tests.conftest import SMALL_BANK

ROOT = Path(__file__).resolve().parents[2]
CREATED = datetime(2026, 11, 30, 16, 12, 5, tzinfo=UTC)


def sessions_in(folder: Path) -> dict[Path, str]:
    """Every readable session in ``folder`` (as the resume list and compare see them), with its project name."""
    out = {}
    for path in sorted(folder.glob("*.json")):
        try:
            out[path] = load_session(path).project.name
        except SessionFileError:
            continue
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DV perpetrator triage", "dv-perpetrator-triage"),
        ("  Café / Ünïcode: ../../etc/passwd ", "cafe-unicode-etc-passwd"),
        ("Custody risk — pilot (v2.1)", "custody-risk-pilot-v2-1"),
        ("日本語", ""),
        ("!!!", ""),
        ("\x1b[31mred\x1b[0m", "31mred-0m"),
    ],
)
def test_a_project_name_becomes_a_safe_file_name_part(text: str, expected: str) -> None:
    assert slug(text) == expected


@given(st.text(max_size=300))
def test_slugs_are_always_safe_and_short(text: str) -> None:
    got = slug(text)
    assert len(got) <= naming.SLUG_LIMIT
    assert got == "" or all((part and part.isascii() and part.isalnum() and part.islower()) or part.isdigit()
                            for part in got.split("-"))  # fmt: skip


def test_the_file_is_named_after_the_project_and_when_it_began(tmp_path: Path) -> None:
    local = CREATED.astimezone().strftime("%Y-%m-%d-%H%M")
    assert project_path(tmp_path, "DV perpetrator triage", CREATED) == tmp_path / f"dv-perpetrator-triage-{local}.json"
    assert (
        project_path(tmp_path, "DV triage", CREATED, n=2, who="Ann O'Neil")
        == tmp_path / f"dv-triage-ann-o-neil-{local}-2.json"
    )
    assert project_path(tmp_path, "???", CREATED) is None
    assert is_provisional(provisional_path(tmp_path)) and not is_provisional(
        tmp_path / "dv-triage-2026-11-30-1612.json"
    )


def test_a_move_takes_the_new_lock_and_lets_go_of_the_old(tmp_path: Path) -> None:
    old, new = tmp_path / "assessment-20261130-161205.json", tmp_path / "dv-2026-11-30-1612.json"
    old.write_text('{"x": 1}')
    lock = SessionLock(old).acquire()
    held = move_session(old, lock, new)
    assert not old.exists() and new.read_text() == '{"x": 1}'
    assert not lock.held and not lock_path(old).exists() and held.held
    with pytest.raises(SessionLocked):
        SessionLock(new).acquire()
    held.release()


def test_a_taken_name_gets_the_next_number(tmp_path: Path) -> None:
    old = tmp_path / "assessment-20261130-161205.json"
    old.write_text("{}")
    first = project_path(tmp_path, "DV triage", CREATED)
    assert first is not None
    first.write_text('{"theirs": true}')  # a file already there is never replaced
    second = project_path(tmp_path, "DV triage", CREATED, n=2)
    assert second is not None
    other = SessionLock(second).acquire()  # another ceder is writing that one
    moved = name_after_project(old, None, "DV triage", CREATED)
    assert moved is not None and moved[0] == project_path(tmp_path, "DV triage", CREATED, n=3)
    assert first.read_text() == '{"theirs": true}' and not second.exists()
    other.release()
    moved[1].release()


@pytest.mark.parametrize("step", ["lock", "exists", "rename"])
def test_a_move_that_fails_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    old, new = tmp_path / "assessment-20261130-161205.json", tmp_path / "dv-2026-11-30-1612.json"
    old.write_text('{"x": 1}')
    lock = SessionLock(old).acquire()
    if step == "lock":
        blocker = SessionLock(new).acquire()
    elif step == "exists":
        new.symlink_to(tmp_path / "elsewhere")  # even a dangling link is never replaced
    else:

        def refuse(src: Path, dst: Path) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(naming, "_rename", refuse)
    with pytest.raises((SessionLocked, OSError)):
        move_session(old, lock, new)
    assert old.read_text() == '{"x": 1}' and lock.held
    if step == "lock":
        blocker.release()
    else:
        SessionLock(new).acquire().release()  # the new name's lock was let go
    assert not (tmp_path / "elsewhere").exists()
    lock.release()


def test_the_fallback_without_renameat2_never_replaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(naming, "_renameat2", lambda src, dst: False)
    old, new = tmp_path / "a.json", tmp_path / "b.json"
    old.write_text("1")
    new.write_text("2")
    with pytest.raises(FileExistsError):
        naming._rename(old, new)
    new.unlink()
    naming._rename(old, new)
    assert not old.exists() and new.read_text() == "1"


# -- through the engine -------------------------------------------------------------------
def test_a_session_ceder_named_takes_the_projects_name_once(small_bank: Bank, tmp_path: Path) -> None:
    path = provisional_path(tmp_path)
    a = Assessment.open_file(small_bank, path)
    a.name_file_after_project()
    a.start()
    a.answer("design")
    assert a.path == path  # no name yet: it stays
    a.set_project(organisation="Northshire")
    assert a.path == path
    a.set_project("DV perpetrator triage")
    assert a.path is not None and a.path.name.startswith("dv-perpetrator-triage-") and not path.exists()
    assert sessions_in(tmp_path) == {a.path: "DV perpetrator triage"}
    a.answer("ml")  # saves go to the new file
    assert load_session(a.path).answers["P2"].value == "ml"
    named = a.path
    a.set_project("Renamed later")  # the file keeps its name: paths noted earlier keep working
    assert a.path == named and load_session(named).project.name == "Renamed later"
    a.undo()  # undoing the name changes the heading, not the file
    assert a.path == named and load_session(named).project.name == "DV perpetrator triage"
    with pytest.raises(SessionLocked):
        Assessment.open_file(small_bank, named)
    a.close()
    assert not list(tmp_path.glob(".*.lock"))


def test_a_path_the_user_named_never_moves(small_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "assessment-20261130-161205.json"  # looks provisional, but the user chose it
    a = Assessment.open_file(small_bank, path)
    a.set_project("DV triage")
    assert a.path == path and path.exists()
    a.close()


def test_a_session_resumed_with_a_name_but_a_provisional_file_is_moved_on_opening(
    small_bank: Bank, tmp_path: Path
) -> None:
    path = provisional_path(tmp_path)
    a = Assessment.open_file(small_bank, path)
    a.set_project("Crashed before the move")
    a.close()
    again = Assessment.open_file(small_bank, path)
    again.name_file_after_project()
    assert again.path is not None and again.path.name.startswith("crashed-before-the-move-")
    assert list(sessions_in(tmp_path)) == [again.path]
    again.close()


# -- killed at each step: a real process, SIGKILLed ---------------------------------------------
DRIVER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from flows import Assessment, naming
    from flows.locking import SessionLock
    from question_banks import load_bank

    folder, step = Path(sys.argv[1]), sys.argv[2]
    path = naming.provisional_path(folder)
    a = Assessment.open_file(load_bank(sys.argv[3]), path)
    a.name_file_after_project()
    a.start()
    a.answer("design")

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    real_acquire, real_rename, real_release = SessionLock.acquire, naming._rename, SessionLock.release

    def acquire(self):
        got = real_acquire(self)
        if step == "after-new-lock" and self.session != path:
            die()
        return got

    def rename(src, dst):
        if step == "before-rename":
            die()
        real_rename(src, dst)
        if step == "after-rename":
            die()

    def release(self):
        if step == "before-old-release" and self.session == path:
            die()
        real_release(self)

    SessionLock.acquire, naming._rename, SessionLock.release = acquire, rename, release
    a.set_project("DV perpetrator triage")
    print(a.path)
    """
)


@pytest.mark.parametrize("step", ["after-new-lock", "before-rename", "after-rename", "before-old-release", "none"])
def test_a_process_killed_at_any_step_of_the_move_leaves_exactly_one_readable_session(
    small_bank: Bank, tmp_path: Path, step: str
) -> None:
    run = subprocess.run(
        [sys.executable, "-c", DRIVER, str(tmp_path), step, str(SMALL_BANK)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == (0 if step == "none" else -signal.SIGKILL), run.stderr
    found = sessions_in(tmp_path)
    assert list(found.values()) == ["DV perpetrator triage"], found  # one session, with everything saved
    (path,) = found
    assert is_provisional(path) == (step in ("after-new-lock", "before-rename"))
    # The kernel let go of the dead process's locks: the session opens, answers intact, and finds its name.
    a = Assessment.open_file(small_bank, path)
    assert a.record_of("P1") is not None and a.record_of("P1").value == "design"  # type: ignore[union-attr]
    a.name_file_after_project()
    assert a.path is not None and not is_provisional(a.path) and list(sessions_in(tmp_path)) == [a.path]
    a.close()
    from assistant.session_files import latest_unfinished

    assert latest_unfinished(tmp_path) == a.path
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert json.loads(a.path.read_text())["project"]["name"] == "DV perpetrator triage"
    assert os.stat(a.path).st_mode & 0o777 == 0o600
