"""A session that opens can always be saved and opened again (issue 13, item 3), and
numeric option ids are ids (issue 13, item 10, the engine half).

- Non-finite numbers (NaN, Infinity, -Infinity, and 1e999, which JSON parsers read as
  infinity) are refused on load in one line, wherever they are in the file, because
  JSON cannot write them back.
- A file laid out so that ceder's own layout would take it over the read cap is refused
  on load rather than opened and then impossible to save.
- The full round trip after every kind of change: save -> load -> save gives the same bytes.
- ``E2: 2`` (a number) for option ``"2"``, in answers files and in session files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows import Assessment, SessionFileError, load_session, persistence, save_session
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.reliability.conftest import ceder


def saved(bank: Bank, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    path = tmp_path / "s.json"
    a = Assessment(bank, path=path)
    a.start()
    for value in ("live", "dashboard", "people", ["arrest"], 12):
        a.answer(value)
    a.note("P1", "a note")
    return json.loads(path.read_text())


NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"]


@pytest.mark.parametrize("number", NON_FINITE)
@pytest.mark.parametrize("where", ["answer", "participant", "unknown-field"])
def test_non_finite_numbers_are_refused_on_load(small_bank: Bank, tmp_path: Path, number: str, where: str) -> None:
    doc = saved(small_bank, tmp_path)
    text = json.dumps(doc, indent=2)
    marker = '"__HERE__"'
    if where == "answer":
        doc["answers"]["C2"]["value"] = "__HERE__"
    elif where == "participant":
        doc["answers"]["C2"]["by"] = {"analyst": "__HERE__"}
    else:
        doc["answers"]["C2"]["extra"] = "__HERE__"
    text = json.dumps(doc, indent=2).replace(marker, number)
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(SessionFileError) as err:
        load_session(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    if where != "unknown-field" or number in ("NaN", "Infinity", "-Infinity"):
        assert "number" in message
    run = ceder("--bank", str(SMALL_BANK), "report", str(path))
    assert run.code == 1 and len(run.err.strip().splitlines()) == 1
    assert path.read_text() == text  # untouched


def test_a_loaded_session_with_huge_finite_numbers_saves_and_loads_again(small_bank: Bank, tmp_path: Path) -> None:
    doc = saved(small_bank, tmp_path)
    doc["answers"]["C2"]["value"] = 1e308
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    session = load_session(path)
    save_session(path, session)
    assert load_session(path) == session


def test_a_file_that_would_save_over_the_cap_is_refused_on_open(
    small_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = saved(small_bank, tmp_path)
    doc["notes"]["P2"] = "x" * 3000
    compact = json.dumps(doc, separators=(",", ":"))
    monkeypatch.setattr(
        persistence, "MAX_SESSION_BYTES", len(compact) + 10
    )  # the compact file fits, ceder's layout not
    path = tmp_path / "compact.json"
    path.write_text(compact)
    with pytest.raises(SessionFileError, match="too large to save again"):
        load_session(path)


def test_every_change_round_trips_byte_for_byte(small_bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    moves = [
        a.start,
        lambda: a.answer("live"),
        lambda: a.note("P1", "unicode ✓ עברית \x9b escaped"),
        lambda: a.answer("dashboard"),
        a.back,
        lambda: a.answer("dashboard"),
        a.skip,
        a.dont_know,
        lambda: a.set_project(name="Project ✓", assessor="A. N. Other"),
        lambda: a.set_owner("E1", "DPO"),
        lambda: a.revise("P1"),
        lambda: a.answer("design"),
        a.undo,
        a.finish,
    ]
    for move in moves:
        move()
        first = path.read_bytes()
        again = tmp_path / "again.json"
        save_session(again, load_session(path))
        assert again.read_bytes() == first
        assert load_session(again) == a.session


def test_numeric_option_ids_in_an_answers_file(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("answers:\n  P1: live\n  P2: dashboard\n  C1: people\n  C1a: [arrest]\n  E1: partly\n  E2: 2\n")
    run = ceder(
        "--bank",
        str(SMALL_BANK),
        "run",
        "--answers",
        str(answers),
        "--format",
        "json",
        "--save",
        str(tmp_path / "s.json"),
    )
    assert run.code == 0, run.err
    assert load_session(tmp_path / "s.json").answers["E2"].value == "2"


def test_numeric_option_ids_in_a_session_file(small_bank: Bank, tmp_path: Path) -> None:
    doc = saved(small_bank, tmp_path)
    doc["answers"]["E2"] = {"value": 3, "status": "answered", "at": doc["answers"]["P1"]["at"]}
    path = tmp_path / "n.json"
    path.write_text(json.dumps(doc))
    a = Assessment(small_bank, load_session(path))
    record = a.record_of("E2")
    assert record is not None and record.value == "3" and "E2" not in a.orphans


def test_numeric_ids_in_a_multiple_choice_answer_are_ids() -> None:
    from flows.session import AnswerRecord

    assert AnswerRecord.model_validate({"value": [1, 2]}).value == ["1", "2"]
    assert AnswerRecord.model_validate({"value": ["a", 3]}).value == ["a", "3"]
