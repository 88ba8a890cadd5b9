"""Memory never runs ahead of the disk (issue 13, item 2).

When a save fails (disk full, a file size limit, a read-only folder), the engine puts
memory back to what the file holds, so the screen still shows the question the file is
on, the next key cannot answer a question the user never saw, and the change that was
"not saved" cannot reach the disk later with the next save.

- Random conversations on every bank shape with saves failing at random: after each
  failure memory equals the file, the open question and phase are those before the move,
  undo history is intact, and the engine stays consistent; later saves never carry the
  lost change.
- A real process under a real file size limit (``RLIMIT_FSIZE``: the kernel refuses the
  write, as on a full disk): the answer is refused, the question stays, the file holds
  what it did, and the process carries on.
- A session that would grow past the size ceder can open is refused the same way.
"""

from __future__ import annotations

import errno
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import Assessment, FlowError, NotSaved, load_session, persistence
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.reliability.conftest import ceder_env
from tests.reliability.test_invariants import MOVE, SHAPES, step


class FlakyDisk:
    """``atomic_write`` that fails (ENOSPC, before touching the file) on the calls marked True."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fails: list[bool]) -> None:
        self.fails = list(fails)
        self.failed = 0
        real = persistence.atomic_write

        def write(path: Path, data: bytes, *args: Any, **kwargs: Any) -> None:
            if self.fails and self.fails.pop(0):
                self.failed += 1
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            real(path, data, *args, **kwargs)

        monkeypatch.setattr(persistence, "atomic_write", write)


def snapshot(a: Assessment) -> tuple[Any, ...]:
    return (a.state, a.session.current, a.session.model_dump(), len(a._undo), a.can_undo)


@pytest.mark.parametrize("shape", sorted(SHAPES))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(moves=st.lists(st.tuples(MOVE, st.booleans()), max_size=40))
def test_a_failed_save_leaves_memory_as_the_file_is(
    shape: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moves: list[tuple[tuple[str, int], bool]]
) -> None:
    bank: Bank = SHAPES[shape]
    path = tmp_path / "s.json"
    path.unlink(missing_ok=True)
    a = Assessment(bank, path=path)
    a.start()
    with monkeypatch.context() as m:
        disk = FlakyDisk(m, [])
        for (move, seed), fail in moves:
            before = snapshot(a)
            disk.fails = [fail] * 3  # one step can save more than once (finish from the welcome)
            try:
                step(a, move, seed)
            except NotSaved as exc:
                assert "Not saved" in str(exc) and str(path) in str(exc) and "\n" not in str(exc)
                assert snapshot(a) == before, f"{move}: memory moved on after a failed save"
                assert load_session(path) == a.session, f"{move}: memory differs from the file"
                assert a.consistent()
            except FlowError:
                assert snapshot(a) == before
            else:
                assert load_session(path) == a.session
    # Whatever failed along the way, what is on disk is exactly what the engine holds.
    assert load_session(path) == a.session
    b = Assessment(bank, load_session(path))
    assert b.summary(final=True) == Assessment(bank, a.session.model_copy(deep=True)).summary(final=True)


def test_the_lost_change_never_reaches_the_disk_later(
    small_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    assert a.current is not None and a.current.id == "P1"
    disk = FlakyDisk(monkeypatch, [True])
    with pytest.raises(NotSaved):
        a.answer("live")
    assert disk.failed == 1
    assert a.current is not None and a.current.id == "P1" and a.record_of("P1") is None
    a.note("P1", "typed after the failure")  # the next save succeeds...
    saved = load_session(path)
    assert "P1" not in saved.answers  # ...and does not carry the answer that was "not saved"
    assert saved.notes == {"P1": "typed after the failure"}
    a.answer("design")  # answering again works, on the question the user sees
    assert load_session(path).answers["P1"].value == "design"


def test_undo_history_survives_a_failed_save(small_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    a.answer("live")
    a.revise("P1")
    a.answer("design")  # a revision: undoable
    assert a.can_undo
    FlakyDisk(monkeypatch, [True])
    with pytest.raises(NotSaved):
        a.undo()
    record = a.record_of("P1")
    assert a.can_undo and record is not None and record.value == "design"
    a.undo()
    assert load_session(path).answers["P1"].value == "live"


def test_a_session_cannot_grow_past_what_ceder_opens(
    small_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notes and answers are bounded by the read cap, so a user is never locked out of their own work."""
    monkeypatch.setattr(persistence, "MAX_SESSION_BYTES", 60_000)
    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    a.note("P1", "x" * 30_000)
    with pytest.raises(NotSaved, match="over the"):
        a.note("P2", "y" * 40_000)
    assert "P2" not in a.session.notes
    assert load_session(path) == a.session  # and the file still opens
    a.note("P2", "y" * 20_000)  # a shorter note fits
    assert load_session(path).notes["P2"] == "y" * 20_000


FSIZE_CHILD = """
import json, resource, signal, sys
from pathlib import Path
from flows import Assessment, NotSaved, load_session
from question_banks import load_bank

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing the process
path = Path(sys.argv[1])
a = Assessment(load_bank(sys.argv[2]), path=path)
a.start()
a.answer("live")
limit = path.stat().st_size + 10  # the next save is larger: the kernel refuses it, as a full disk would
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
report = {"before": a.session.current}
try:
    a.note("P2", "a note long enough to push the file over the limit " * 4)
    report["raised"] = None
except NotSaved as exc:
    report["raised"] = str(exc)
report["after"] = a.session.current
report["memory_is_file"] = load_session(path) == a.session
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
a.answer("dashboard")  # carries on once the disk has room
report["carried_on"] = load_session(path).answers["P2"].value
report["note_on_disk"] = "P2" in load_session(path).notes
print(json.dumps(report))
"""


def test_a_real_write_refused_by_the_kernel(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(FSIZE_CHILD), str(path), str(SMALL_BANK)],
        env=ceder_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["raised"] and "Not saved" in report["raised"] and "File too large" in report["raised"]
    assert report["before"] == report["after"] == "P2"
    assert report["memory_is_file"] is True
    assert report["carried_on"] == "dashboard" and report["note_on_disk"] is False
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # the failed write cleaned up
