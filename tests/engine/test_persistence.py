"""Sessions on disk: atomic private writes, resume, and clear refusals of bad files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from flows import Assessment, SessionFileError, load_session, save_session
from flows.persistence import atomic_write
from question_banks import Bank


def test_every_answer_is_saved_before_the_next_question(small_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    a.answer("live")
    on_disk = json.loads(path.read_text())
    assert on_disk["answers"]["P1"]["value"] == "live"
    assert on_disk["current"] == "P2" and on_disk["state"] == "profile"
    for key in ("schema_version", "bank", "answers", "notes", "state", "created", "updated"):
        assert key in on_disk
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_resume_continues_at_the_next_question(small_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    for v in ("live", "dashboard", "people", ["arrest"], 50):
        a.answer(v)
    a.proceed()
    a.answer("no")
    b = Assessment(small_bank, load_session(path), path=path)
    assert b.state == "ethics" and b.current is not None and b.current.id == "E1a"
    assert b.answers.keys() == a.answers.keys()
    assert b.summary() == a.summary()
    assert b.consistent()


def test_resume_in_a_review_state(small_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    for v in ("live", "dashboard", "places", 50):
        a.answer(v)
    assert a.in_review
    b = Assessment(small_bank, load_session(path), path=path)
    assert b.in_review and b.review_dimension == "complexity"
    b.proceed()
    assert b.current is not None and b.current.id == "E1"


def test_save_load_round_trip_is_identical(small_bank: Bank, tmp_path: Path) -> None:
    a = Assessment(small_bank)
    a.start()
    a.answer("design")
    a.note("P1", "unicode ✓ — עברית [b]x[/b]")
    path = tmp_path / "s.json"
    save_session(path, a.session)
    assert load_session(path) == a.session


def test_atomic_write_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    target.write_text("old")
    atomic_write(target, b"new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


def test_atomic_write_failure_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.json"
    target.write_text("old")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(target, b"new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b'{"schema_version": 1, "bank": {"id"', "invalid JSON"),
        (b"\xff\xfe\x00\x01", "binary"),
        (b"[1, 2, 3]", "not a ceder session"),
        (b'{"name": "other app", "version": 3}', "not a ceder session"),
        (b'{"schema_version": 99, "bank": {"id": "x", "version": "1"}}', "newer ceder"),
        (b'{"schema_version": 1, "bank": {"id": "x", "version": "1"}, "answers": 5}', "damaged session"),
    ],
)
def test_bad_session_files_are_refused_untouched(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(SessionFileError) as err:
        load_session(path)
    message = str(err.value)
    assert str(path) in message and reason in message
    assert "\n" not in message
    assert path.read_bytes() == content


def test_missing_session_file(tmp_path: Path) -> None:
    with pytest.raises(SessionFileError, match="cannot read"):
        load_session(tmp_path / "nope.json")


def test_answers_to_removed_questions_are_kept_as_orphans(small_bank: Bank, tmp_path: Path) -> None:
    a = Assessment(small_bank)
    a.start()
    a.answer("design")
    a.session.answers["OLD9"] = a.session.answers["P1"].model_copy()
    a.session.answers["P2"] = a.session.answers["P1"].model_copy(update={"value": "no-longer-an-option"})
    b = Assessment(small_bank, a.session)
    assert set(b.orphans) == {"OLD9", "P2"}
    assert "OLD9" in b.session.answers  # still saved with the session
    assert b.record_of("P2") is None and b.consistent()


def test_atomic_write_refuses_to_replace_a_device(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        atomic_write(fifo, b"x")
    assert fifo.exists() and not fifo.is_file()
