"""One safe writer for every user-data write (issue 13, item 5).

``flows.persistence.write_private`` is what the CLI (``-o``, ``--save``) and the TUI's
exports use: atomic, 0600, never over an existing file or a symlink without ``--force``,
never through a symlink even then, and temporary files of a killed export are cleaned up.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import persistence
from flows.persistence import STALE_TEMP_SECONDS, WriteRefused, write_new_in, write_private
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.reliability.conftest import ceder, ceder_env

ANSWERS = "answers:\n  P1: live\n  P2: dashboard\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_never_over_anything_without_overwrite(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    cases = {
        "file": lambda p: p.write_bytes(b"precious"),
        "symlink": lambda p: p.symlink_to(outside),
        "dangling-symlink": lambda p: p.symlink_to(tmp_path / "nowhere"),
    }
    for name, make in cases.items():
        target = tmp_path / f"{name}.md"
        make(target)
        with pytest.raises(WriteRefused, match="already exists"):
            write_private(target, b"new")
        assert outside.read_bytes() == b"precious" and not (tmp_path / "nowhere").exists(), name
    with pytest.raises(WriteRefused, match="is a folder"):
        write_private(tmp_path, b"new", overwrite=True)


def test_overwrite_replaces_a_symlink_never_its_target(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "victim.txt"
    outside.parent.mkdir()
    outside.write_bytes(b"precious")
    link = tmp_path / "report.md"
    link.symlink_to(outside)
    write_private(link, b"new", overwrite=True)
    assert outside.read_bytes() == b"precious"
    assert not link.is_symlink() and link.read_bytes() == b"new" and mode(link) == 0o600


def test_a_file_that_appears_meanwhile_is_not_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check and the write are one step: a file created between them (a race) is kept."""
    target = tmp_path / "r.md"
    real_fsync = os.fsync

    def fsync(fd: int) -> None:  # after the temp file is written, before it is put in place
        real_fsync(fd)
        if not target.exists():
            target.write_bytes(b"someone else's")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(WriteRefused, match="already exists"):
        write_private(target, b"ours")
    assert target.read_bytes() == b"someone else's"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        write_private(tmp_path / "a.md", b"x")
        write_private(tmp_path / "a.md", b"y", overwrite=True)
        path = write_new_in(tmp_path, "a.md", b"z")
    finally:
        os.umask(old)
    assert path.name == "a-2.md"
    assert {p.name: mode(p) for p in tmp_path.iterdir()} == {"a.md": 0o600, "a-2.md": 0o600}


def test_cli_output_onto_a_symlink(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    link = tmp_path / "report.md"
    link.symlink_to(victim)
    run = ceder("--bank", str(SMALL_BANK), "run", "--answers", str(answers), "-o", str(link))
    assert run.code == 1 and "already exists" in run.err
    forced = ceder("--bank", str(SMALL_BANK), "run", "--answers", str(answers), "-o", str(link), "--force")
    assert forced.code == 0, forced.err
    assert victim.read_bytes() == b"precious" and not link.is_symlink() and mode(link) == 0o600


SLOW_WRITER = """
import os, sys, time
from pathlib import Path
from flows.persistence import write_private
real = os.fsync
def fsync(fd):
    print("writing", flush=True)
    time.sleep(60)  # killed here: the temporary file is on disk, the export is not
os.fsync = fsync
write_private(Path(sys.argv[1]), b"x" * 100_000)
"""


def _killed_write(target: Path) -> list[Path]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(target)], stdout=subprocess.PIPE, text=True, env=ceder_env()
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    temps = [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(temps) == 1 and not target.exists()
    old = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(temps[0], (old, old))  # as if killed a while ago
    return temps


def test_temp_files_of_a_killed_export_are_cleaned_up(tmp_path: Path) -> None:
    # The same name written again (the CLI) ...
    target = tmp_path / "report.md"
    (temp,) = _killed_write(target)
    answers = tmp_path / "a.yaml"
    answers.write_text(ANSWERS)
    assert ceder("--bank", str(SMALL_BANK), "run", "--answers", str(answers), "-o", str(target)).code == 0
    assert not temp.exists() and target.read_text().startswith("# ")
    # ... and any export into the same folder (the TUI's exports have a new name each time).
    folder = tmp_path / "exports"
    folder.mkdir()
    (temp,) = _killed_write(folder / "first.md")
    write_new_in(folder, "second.md", b"x")
    assert not temp.exists()


def test_a_temp_file_in_progress_or_not_ours_is_left_alone(tmp_path: Path) -> None:
    fresh = tmp_path / f".a.md.{persistence.TEMP_MARK}abcdefgh.tmp"
    fresh.write_bytes(b"another export still being written")
    foreign = tmp_path / ".notes.md.abcdefgh.tmp"
    foreign.write_bytes(b"someone's own file")
    old = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(foreign, (old, old))
    write_new_in(tmp_path, "b.md", b"x")
    assert fresh.exists() and foreign.exists()


async def test_tui_exports_never_overwrite_or_follow_links(
    small_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.tui.app import make_app
    from assistant.tui.screens.summary import SummaryScreen
    from flows import Assessment

    session = tmp_path / "s.json"
    a = Assessment(small_bank, path=session)
    a.start()
    a.finish()
    exports = tmp_path / "out"
    exports.mkdir()
    victim = tmp_path / "victim.md"
    victim.write_bytes(b"precious")
    (exports / "s-summary.md").symlink_to(victim)  # planted where the export would go
    (exports / "s-summary.json").write_bytes(b"an earlier export")
    app = make_app(small_bank, session_path=session, export_dir=exports)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, SummaryScreen):
                break
        assert isinstance(app.screen, SummaryScreen)
        for key in ("m", "j", "h", "m"):
            await pilot.press(key)
            await pilot.pause(0.1)
    assert victim.read_bytes() == b"precious"
    assert (exports / "s-summary.json").read_bytes() == b"an earlier export"
    made = sorted(p.name for p in exports.iterdir() if not p.is_symlink())
    assert made == ["s-summary-2.json", "s-summary-2.md", "s-summary-3.md", "s-summary.html", "s-summary.json"]
    assert all(mode(exports / name) == 0o600 for name in made if name != "s-summary.json")
    assert (exports / "s-summary.html").read_text().lstrip().lower().startswith("<!doctype html")
