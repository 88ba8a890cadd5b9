"""Bad session files: one clear line naming the file; the file is never touched; a fresh session is offered."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from flows import Assessment, SessionFileError, load_session, save_session
from flows.session import SCHEMA_VERSION
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.reliability.conftest import ceder, no_traceback


def _good(bank: Bank) -> bytes:
    a = Assessment(bank)
    a.start()
    for value in ("live", "dashboard", "people", ["arrest"]):
        a.answer(value)
    a.note("P1", "a note")
    return a.session.model_dump_json(indent=2).encode() + b"\n"


def _with(**changes: object) -> Callable[[bytes], bytes]:
    def make(good: bytes) -> bytes:
        doc = json.loads(good)
        doc.update(changes)
        return json.dumps(doc).encode()

    return make


BAD: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "empty": (lambda g: b"", "empty"),
    "only-whitespace": (lambda g: b" \n\t\n", "empty"),
    "truncated-early": (lambda g: g[:20], "invalid JSON"),
    "truncated-half": (lambda g: g[: len(g) // 2], "invalid JSON"),
    "truncated-last-byte": (lambda g: g.rstrip()[:-1], "invalid JSON"),
    "binary": (lambda g: bytes(range(256)) * 8, "binary"),
    "non-utf-8": (lambda g: g.replace(b"a note", "café".encode("latin-1")), "binary"),
    "json-array": (lambda g: b"[1, 2, 3]", "not a ceder session"),
    "json-string": (lambda g: b'"hello"', "not a ceder session"),
    "json-null": (lambda g: b"null", "not a ceder session"),
    "another-programs-json": (lambda g: b'{"name": "other app", "version": 3, "items": []}', "not a ceder session"),
    "package-json": (lambda g: b'{"name": "x", "dependencies": {"a": "1"}}', "not a ceder session"),
    "future-schema": (_with(schema_version=SCHEMA_VERSION + 1, new_feature={"x": 1}), "newer ceder"),
    "far-future-schema": (_with(schema_version=10**6), "newer ceder"),
    "schema-zero": (_with(schema_version=0), "not a ceder session"),
    "schema-as-text": (_with(schema_version="1"), "schema_version is not a number"),
    "schema-as-bool": (_with(schema_version=True), "schema_version is not a number"),
    "answers-wrong-type": (_with(answers=[1, 2]), "damaged session"),
    "answer-value-mapping": (_with(answers={"P1": {"value": {"a": 1}}}), "damaged session"),
    "bank-wrong-type": (_with(bank="fixture-small"), "damaged session"),
    "unknown-key": (_with(colour="blue"), "damaged session"),
    "bad-date": (_with(created="yesterday"), "damaged session"),
    "deeply-nested": (lambda g: g[:-2] + b', "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "not a ceder session"),
    "huge-integer": (
        lambda g: g.replace(b'"schema_version": 1', b'"schema_version": 1' + b"0" * 5000),
        "not a ceder session",
    ),
    "lone-surrogate": (lambda g: g.replace(b"a note", b"a \\ud800 note"), "not valid Unicode"),
}


@pytest.fixture
def good(small_bank: Bank) -> bytes:
    return _good(small_bank)


def test_the_good_file_loads(tmp_path: Path, good: bytes) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(good)
    assert load_session(path).answers["P1"].value == "live"


@pytest.mark.parametrize("kind", BAD)
def test_refused_in_one_line_naming_the_file(kind: str, tmp_path: Path, good: bytes) -> None:
    make, reason = BAD[kind]
    path = tmp_path / "s.json"
    content = make(good)
    path.write_bytes(content)
    before = os.stat(path)
    with pytest.raises(SessionFileError) as err:
        load_session(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ") and reason in message
    assert "\n" not in message and len(message) < 300
    after = os.stat(path)
    assert path.read_bytes() == content and after.st_mtime_ns == before.st_mtime_ns


@pytest.mark.parametrize(
    "kind", ["truncated-half", "binary", "json-array", "another-programs-json", "future-schema", "deeply-nested"]
)
def test_report_command_refuses_and_leaves_the_file(kind: str, tmp_path: Path, good: bytes) -> None:
    make, reason = BAD[kind]
    path = tmp_path / "s.json"
    content = make(good)
    path.write_bytes(content)
    run = ceder("--bank", str(SMALL_BANK), "report", str(path))
    no_traceback(run)
    assert run.code == 1 and run.out == ""
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ceder: {path}: ") and reason in lines[0]
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]


@pytest.mark.parametrize("kind", sorted(BAD))
def test_tui_opening_offers_a_fresh_session_and_keeps_the_file(
    kind: str, small_bank: Bank, tmp_path: Path, good: bytes
) -> None:
    """What the TUI does on open (assistant.tui.sessions): a notice naming the file, a new file for the work."""
    sessions = pytest.importorskip("assistant.tui.sessions")
    make, reason = BAD[kind]
    path = tmp_path / "s.json"
    content = make(good)
    path.write_bytes(content)
    opened = sessions.open_session(small_bank, path)
    assert opened.path != path and opened.notice is not None
    assert str(path) in opened.notice and reason in opened.notice
    assert opened.assessment.current is not None  # a fresh assessment, ready for its first answer
    opened.assessment.answer("design")
    assert path.read_bytes() == content
    assert load_session(opened.path).answers["P1"].value == "design"


def test_a_loaded_session_always_saves_again(tmp_path: Path, good: bytes) -> None:
    """JSON can hold text UTF-8 cannot (lone surrogates); such a file is refused on open, not at the next autosave."""
    path = tmp_path / "s.json"
    path.write_bytes(good.replace(b"a note", b"\\udc80"))
    with pytest.raises(SessionFileError, match="not valid Unicode"):
        load_session(path)


def test_undecodable_typed_text_is_stored_as_replacement_characters(small_bank: Bank, tmp_path: Path) -> None:
    """Text read from a terminal in a non-UTF-8 locale carries lone surrogates; autosave must not fail on it."""
    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    a.note("P1", "caf\udce9 au lait")
    a.set_project(name="Proj\udcff")
    for v in ("live", "dashboard", "people", ["arrest"], 5):
        a.answer(v)
    a.proceed()
    a.answer("no")
    assert a.current is not None and a.current.kind == "text"
    a.answer("plan \ud800 here")
    saved = load_session(path)
    assert saved.notes["P1"] == "caf\ufffd au lait" and saved.project.name == "Proj\ufffd"
    assert saved.answers["E1a"].value == "plan \ufffd here"


def test_bom_from_a_windows_editor_is_accepted(tmp_path: Path, good: bytes) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(b"\xef\xbb\xbf" + good)
    assert load_session(path).notes["P1"] == "a note"


def test_a_missing_session_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SessionFileError, match="cannot read session file"):
        load_session(tmp_path / "nope.json")
    with pytest.raises(SessionFileError, match="cannot read session file"):
        load_session(tmp_path)


def test_a_session_of_another_bank_is_refused_untouched(tmp_path: Path, good: bytes) -> None:
    path = tmp_path / "s.json"
    content = good.replace(b'"fixture-small"', b'"someone-elses-bank"')
    path.write_bytes(content)
    run = ceder("--bank", str(SMALL_BANK), "report", str(path))
    assert run.code == 1 and "someone-elses-bank" in run.err and len(run.err.strip().splitlines()) == 1
    assert path.read_bytes() == content


def test_round_trip_of_the_good_file_is_byte_identical(tmp_path: Path, good: bytes) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(good)
    save_session(tmp_path / "again.json", load_session(path))
    assert (tmp_path / "again.json").read_bytes() == good


@pytest.mark.parametrize(
    "kind",
    [k for k in BAD],
)
def test_a_bad_file_in_the_sessions_folder_never_stops_ceder_starting(
    kind: str, _private_home: Path, good: bytes
) -> None:
    """``ceder`` with no --session resumes the latest unfinished session; a broken file there is passed over."""
    sessions = _private_home / "sessions"
    sessions.mkdir(parents=True, exist_ok=True)
    path = sessions / f"{kind}.json"
    content = BAD[kind][0](good)
    path.write_bytes(content)
    run = ceder("--bank", str(SMALL_BANK), "--plain", input="1\n")
    no_traceback(run)
    assert run.code == 0, run.err
    assert "Recorded: Design or build" in run.out
    assert path.read_bytes() == content
    new = [p for p in sessions.glob("*.json") if p != path]
    assert len(new) == 1 and load_session(new[0]).answers["P1"].value == "design"
