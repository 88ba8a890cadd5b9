"""The bank cache can never show a different bank (issue 13, item 7).

The TUI and the headless commands load the bank through a private cache
(``question_banks.cache``). Whatever happens to the files between two launches (an edit
of the same length with its time put back, a copy that preserves times), the TUI and the
CLI show what the files say now. And the cache reads only
the bank's own files: a large ``.git`` folder beside them is never opened.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from question_banks import Bank, load_bank
from question_banks.cache import load_bank_cached
from tests.conftest import SMALL_BANK
from tests.helpers.terminal import ceder_tui
from tests.reliability.conftest import ROOT, ceder_env


def _same(a: Bank, b: Bank) -> bool:
    return a.manifest == b.manifest and a.sections == b.sections


def _times(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file()}


def _edit_in_place(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` (same length), then put the file's times back as they were."""
    assert len(old) == len(new)
    st = path.stat()
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


# Edits that keep every file's name, size and modification time: what a key on those could not see.
EDITS: dict[str, Callable[[Path], None]] = {
    "question text": lambda f: _edit_in_place(f / "00-profile.yaml", "What stage is", "What phase is"),
    "option score": lambda f: _edit_in_place(f / "20-ethics.yaml", "score: 0}", "score: 1}"),
    "scoring threshold": lambda f: _edit_in_place(f / "bank.yaml", "amber_from: 0.4", "amber_from: 0.5"),
    "follow-up condition": lambda f: _edit_in_place(f / "30-data.yaml", "value: biometric}", "value: dashboard}"),
}


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, folder)
    return folder


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_edit_that_keeps_sizes_and_times_is_seen(edit: str, bank_dir: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = load_bank_cached(bank_dir, cache)
    assert _same(load_bank_cached(bank_dir, cache), before)  # the second load comes from the cache
    stamps = _times(bank_dir)
    EDITS[edit](bank_dir)
    assert _times(bank_dir) == stamps  # nothing a key on names, sizes and times could see
    after = load_bank_cached(bank_dir, cache)
    assert _same(after, load_bank(bank_dir))
    assert not _same(after, before)


def test_a_copy_that_preserves_times_shows_the_copied_bank(tmp_path: Path) -> None:
    """``cp -p`` of another version of the bank over the folder the TUI last opened."""
    original, other, target = tmp_path / "original", tmp_path / "other", tmp_path / "target"
    shutil.copytree(SMALL_BANK, original)
    shutil.copytree(SMALL_BANK, other)
    EDITS["question text"](other)
    EDITS["option score"](other)
    for name, (_, mtime) in _times(original).items():  # both versions carry the same times
        os.utime(other / name, ns=(mtime, mtime))
    cache = tmp_path / "cache"
    subprocess.run(["cp", "-rp", str(original), str(target)], check=True)
    first = load_bank_cached(target, cache)
    assert _same(first, load_bank(original))
    stamps = _times(target)
    for path in other.iterdir():
        subprocess.run(["cp", "-p", str(path), str(target / path.name)], check=True)
    assert _times(target) == stamps
    second = load_bank_cached(target, cache)
    assert _same(second, load_bank(other))
    assert second.by_id["P1"].text.startswith("What phase is")


def _tui_shows(bank: Path, home: Path, session: Path, wanted: str, timeout: float = 30) -> str:
    """Start the real TUI in a pseudo-terminal on ``bank``; the screen text once ``wanted`` is on it (or at timeout)."""
    term = ceder_tui(session, bank=bank, home=home)
    try:
        term.wait_for(wanted, timeout=timeout)
    finally:
        term.kill()
    return term.text()


def _started(bank_dir: Path, session: Path) -> None:
    """A session file for ``bank_dir`` that has reached its first question (no bank cache involved)."""
    from flows import Assessment
    from question_banks import load_bank

    Assessment(load_bank(bank_dir), path=session).start()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminal trial written for Linux")
def test_the_tui_shows_the_edited_text_after_a_same_length_edit_with_the_time_restored(
    bank_dir: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    for name in ("a.json", "b.json"):  # started already, so the app opens on the first question, not the details
        _started(bank_dir, tmp_path / name)
    first = _tui_shows(bank_dir, home, tmp_path / "a.json", "What stage is the project at?")
    assert "What stage is the project at?" in first, first[-1500:]
    assert list((home / "cache").glob("bank-*.pickle")), "the first launch should have written the cache"
    stamps = _times(bank_dir)
    EDITS["question text"](bank_dir)
    assert _times(bank_dir) == stamps
    second = _tui_shows(bank_dir, home, tmp_path / "b.json", "What phase is the project at?")
    assert "What phase is the project at?" in second, second[-1500:]
    assert "What stage is" not in second


def test_headless_commands_show_the_edited_text_too(bank_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"

    def questions() -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "assistant", "questions", "--bank", str(bank_dir)],
            capture_output=True,
            text=True,
            timeout=60,
            env=ceder_env(home),
            cwd=ROOT,
            check=True,
        )
        return proc.stdout

    assert "What stage is the project at?" in questions()
    assert list((home / "cache").glob("bank-*.pickle"))
    EDITS["question text"](bank_dir)
    after = questions()
    assert "What phase is the project at?" in after and "What stage is" not in after


_WATCH = """
import json, sys
from pathlib import Path
opened = []
def hook(event, args):
    if event in ("open", "os.scandir", "os.listdir", "os.walk", "glob.glob", "os.stat") and args and isinstance(args[0], (str, bytes, Path)):
        opened.append((event, str(args[0])))
sys.addaudithook(hook)
from question_banks.cache import load_bank_cached
folder, cache = Path(sys.argv[1]), Path(sys.argv[2])
load_bank_cached(folder, cache)   # writes the cache
opened.clear()
bank = load_bank_cached(folder, cache)  # reads it
print(json.dumps({"opened": opened, "questions": len(bank.questions)}))
"""


def test_a_big_git_folder_beside_the_bank_is_never_read(bank_dir: Path, tmp_path: Path) -> None:
    """A bank kept in git: thousands of objects, a huge pack, a FIFO and stray YAML under ``.git`` are all left alone."""
    git = bank_dir / ".git"
    for i in range(40):
        objects = git / "objects" / f"{i:02x}"
        objects.mkdir(parents=True)
        for j in range(50):
            (objects / f"{j:038x}").write_bytes(b"x" * 64)
    pack = git / "objects" / "pack" / "pack-0.pack"
    pack.parent.mkdir(parents=True)
    with pack.open("wb") as fh:  # 2 GB, sparse: reading it would take seconds, and hashing it more
        fh.truncate(2 * 1024**3)
    os.mkfifo(git / "hook.fifo")  # opening it for reading would block
    (git / "stray.yaml").write_text("not: a bank file", "utf-8")
    (bank_dir / "notes").mkdir()
    (bank_dir / "notes" / "draft.yaml").write_text("also: not read", "utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", _WATCH, str(bank_dir), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        timeout=120,
        env=ceder_env(tmp_path / "home"),
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["questions"] == len(load_bank(bank_dir).questions)
    touched = [(event, path) for event, path in seen["opened"] if "/.git" in path or "/notes" in path]
    assert touched == []
    read = {Path(path).name for event, path in seen["opened"] if event == "open" and Path(path).parent == bank_dir}
    assert read == {p.name for p in SMALL_BANK.iterdir()}  # exactly the bank's own files
