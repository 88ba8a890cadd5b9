"""Bank drift: a session saved against bank version N, opened with N+1 that removed, renamed and changed things.

Answers the new bank cannot use are kept in the file (orphans), reported, and never
cause a crash; opening the session with version N again gives every answer back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import Assessment, FlowError, load_session, save_session
from flows.persistence import MIGRATIONS, migrate
from flows.session import SCHEMA_VERSION
from question_banks import Bank, load_bank
from tests.conftest import SMALL_BANK
from tests.reliability.banks import drifted, load_clean
from tests.reliability.conftest import ceder, no_traceback

ANSWERS: list[Any] = [
    "live",
    "ml",
    "people",
    ["arrest"],
    500,
    "partly",
    "Plan owned by legal",
    "2",
    "yes",
    "yes",
    "yes",
]
"""A whole run through bank_small (each dimension's review is passed as it comes)."""


def finished_session(bank: Bank, path: Path) -> Assessment:
    a = Assessment(bank, path=path)
    a.start()
    for value in ANSWERS:
        a.answer(value)
        if a.in_review:
            a.proceed()
    a.note("C2", "Head count from the 2025 census")
    a.note("E1a", "See legal memo")
    assert a.finished
    return a


@pytest.fixture
def next_version(tmp_path: Path) -> Bank:
    """Version N+1 of bank_small: C2 removed, E1a renamed E1b, P2 lost 'ml', D1 lost 'yes'."""
    folder = drifted(
        SMALL_BANK,
        tmp_path / "bank-next",
        remove={"C2"},
        rename={"E1a": "E1b"},
        drop_options={"P2": {"ml"}, "D1": {"yes"}},
        version="2.0",
    )
    d1 = folder / "30-data.yaml"
    d1.write_text(
        d1.read_text().replace("score: 0\n", "score: 0\n  - id: documented\n    label: Documented\n    score: 2\n", 1)
    )
    return load_clean(folder)


def test_drift_keeps_reports_and_survives(small_bank: Bank, next_version: Bank, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    finished_session(small_bank, path)
    original = json.loads(path.read_text())

    b = Assessment(next_version, load_session(path), path=path)
    assert set(b.orphans) == {"C2", "E1a", "P2", "D1"}
    report = {o.question_id: o.reason for o in b.summary().orphans}
    assert report.keys() == {"C2", "E1a", "P2", "D1"}
    assert report["C2"].startswith("question removed") and "2.0" in report["C2"] and "1.0" in report["C2"]
    assert report["P2"].startswith("options changed") and "'ml'" in report["P2"]
    assert b.consistent()
    # Nothing orphaned is scored or counted as answered.
    s = b.summary(final=True)
    assert not {d.question_id for d in s.answers if d.status == "answered"} & {"C2", "E1a", "P2", "D1"}
    assert {"P2", "D1", "E1b"} <= {g.question_id for g in s.evidence_gaps}
    b.progress()

    # Moving about and answering never loses an orphan from the file.
    b.revise("P2")
    b.answer("dashboard")  # a new answer replaces the orphan for P2 ...
    assert "P2" not in b.orphans
    with pytest.raises(FlowError):
        b.revise("C2")  # ... a removed question cannot be reopened
    b.revise("D1")
    b.answer("documented")
    while not b.finished:
        if b.in_review:
            b.proceed()
        elif b.current is not None:
            b.skip()
    b.back()
    on_disk = json.loads(path.read_text())
    for qid in ("C2", "E1a"):
        assert on_disk["answers"][qid] == original["answers"][qid]
        assert on_disk["notes"][qid] == original["notes"][qid]
    assert on_disk["answers"]["P2"]["value"] == "dashboard"
    assert on_disk["answers"]["D1"]["value"] == "documented"

    # Back on version N: the removed questions' answers score again, exactly as given.
    c = Assessment(small_bank, load_session(path))
    assert c.record_of("C2") is not None and c.record_of("C2").value == 500  # type: ignore[union-attr]
    assert c.record_of("E1a") is not None and c.record_of("E1a").value == "Plan owned by legal"  # type: ignore[union-attr]
    assert set(c.orphans) == {"D1", "E1b"}  # N has no option "documented", no question E1b
    assert c.consistent()


def test_report_command_names_the_orphans(small_bank: Bank, next_version: Bank, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    finished_session(small_bank, path)
    content = path.read_bytes()
    run = ceder("--bank", str(tmp_path / "bank-next"), "report", str(path), "--format", "json")
    no_traceback(run)
    assert run.code == 0
    orphans = {o["question_id"]: o for o in json.loads(run.out)["orphans"]}
    assert orphans.keys() == {"C2", "E1a", "P2", "D1"}
    assert orphans["C2"]["answer"] == 500 and orphans["E1a"]["answer"] == "Plan owned by legal"
    assert "4 answers kept" in run.err and "C2" in run.err
    assert path.read_bytes() == content  # reporting never writes the session


def test_session_in_a_state_and_on_a_question_the_new_bank_lacks(small_bank: Bank, tmp_path: Path) -> None:
    """The user stopped on a question (and in a phase) that the new version removed."""
    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    for v in ("live", "dashboard", "people", ["arrest"], 5):
        a.answer(v)
    a.proceed()
    assert a.current is not None and a.current.id == "E1"
    folder = drifted(SMALL_BANK, tmp_path / "next", remove={"E1", "E1a", "E2"}, rename={}, drop_options={})
    # Without ethics questions the bank fails lint (every dimension needs questions), so give it one.
    (folder / "20-ethics.yaml").write_text(
        (SMALL_BANK / "20-ethics.yaml").read_text().split("  - id: E1\n")[0]
        + "  - id: E9\n    text: New ethics question?\n    kind: single\n    options:\n"
        "      - {id: a, label: A, score: 0}\n      - {id: b, label: B, score: 1}\n"
        "    help: h\n    references: [r]\n    action: Do it.\n"
    )
    b = Assessment(load_clean(folder), load_session(path), path=path)
    assert b.current is not None and b.current.id == "E9"
    assert b.orphans == {}
    b.back()
    assert b.current is not None and b.current.id == "C2"


def test_a_migration_path_for_the_session_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_bank: Bank
) -> None:
    """A future schema change adds a step; old files are upgraded in memory, and written only at the next save."""
    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    a.answer("live")
    a.note("P1", "old note")
    content = path.read_bytes()
    assert json.loads(content)["schema_version"] == SCHEMA_VERSION

    def to_2(doc: dict[str, Any]) -> dict[str, Any]:  # e.g. notes become {"text": ...}
        doc["notes"] = {k: {"text": v} for k, v in doc["notes"].items()}
        return doc

    def to_3(doc: dict[str, Any]) -> dict[str, Any]:  # ...and back, so today's model can check the result
        doc["notes"] = {k: v["text"] for k, v in doc["notes"].items()}
        return doc

    monkeypatch.setattr("flows.persistence.SCHEMA_VERSION", SCHEMA_VERSION + 2)
    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION, to_2)
    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION + 1, to_3)
    loaded = load_session(path)
    assert loaded.schema_version == SCHEMA_VERSION + 2 and loaded.notes == {"P1": "old note"}
    assert path.read_bytes() == content  # opening does not write
    save_session(path, loaded)
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION + 2


def test_a_missing_migration_step_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_bank: Bank
) -> None:
    path = tmp_path / "s.json"
    save_session(path, Assessment(small_bank).session)
    monkeypatch.setattr("flows.persistence.SCHEMA_VERSION", SCHEMA_VERSION + 1)
    from flows import SessionFileError

    with pytest.raises(SessionFileError, match=f"no migration from session schema {SCHEMA_VERSION}"):
        load_session(path)
    assert migrate({"schema_version": SCHEMA_VERSION}, SCHEMA_VERSION) == {"schema_version": SCHEMA_VERSION}


# -- random drift --------------------------------------------------------------
BANK = load_bank(SMALL_BANK)
QIDS = [q.id for q in BANK.questions]
REMOVABLE = [q for q in QIDS if q not in ("P1", "C1", "E1", "D1", "F1", "R1")]  # keep every dimension non-empty
CHOICES = {q.id: [o.id for o in q.options] for q in BANK.questions if len(q.options) > 2}

MOVES = st.lists(
    st.tuples(
        st.sampled_from(["answer", "answer", "answer", "skip", "dont_know", "back", "proceed", "revise"]),
        st.integers(0, 99),
    ),
    max_size=30,
)


def _value(q: Any, seed: int) -> Any:
    if q.kind in ("single", "scale"):
        return q.options[seed % len(q.options)].id
    if q.kind == "multi":
        return [q.options[seed % len(q.options)].id]
    if q.kind == "number":
        return seed
    return f"text {seed}"


def _play(a: Assessment, moves: list[tuple[str, int]]) -> None:
    for move, seed in moves:
        try:
            if move == "answer" and a.current is not None:
                a.answer(_value(a.current, seed))
            elif move == "revise":
                a.revise(a.bank.questions[seed % len(a.bank.questions)].id)
            elif move in ("skip", "dont_know", "back", "proceed"):
                getattr(a, move)()
        except FlowError:
            pass


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    before=MOVES,
    after=MOVES,
    remove=st.sets(st.sampled_from(REMOVABLE)),
    rename=st.sets(st.sampled_from(REMOVABLE)),
    drop=st.dictionaries(st.sampled_from(sorted(CHOICES)), st.integers(0, 10), max_size=3),
)
def test_random_drift_never_loses_an_answer(
    tmp_path_factory: pytest.TempPathFactory,
    before: list[tuple[str, int]],
    after: list[tuple[str, int]],
    remove: set[str],
    rename: set[str],
    drop: dict[str, int],
) -> None:
    tmp = tmp_path_factory.mktemp("drift")
    path = tmp / "s.json"
    a = Assessment(BANK, path=path)
    a.start()
    _play(a, before)
    saved = load_session(path)
    drop_options = {qid: {CHOICES[qid][i % len(CHOICES[qid])]} for qid, i in drop.items()}
    folder = drifted(SMALL_BANK, tmp / "next", remove, {q: f"{q}x" for q in rename - remove}, drop_options)
    new = load_clean(folder)

    b = Assessment(new, saved, path=path)
    # Every answer is either in play or kept as an orphan, with its value unchanged.
    for qid, rec in saved.answers.items():
        kept = b.orphans.get(qid) or b.record_of(qid)
        assert kept is not None and kept.status == rec.status
    assert b.consistent()
    b.summary(final=True)
    b.progress()
    _play(b, after)
    assert b.consistent()
    on_disk = load_session(path) if path.exists() else saved
    for qid, rec in b.orphans.items():
        assert on_disk.answers[qid] == rec
    assert {o.question_id for o in b.summary().orphans} == set(b.orphans)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_human_reports_list_the_orphans(small_bank: Bank, next_version: Bank, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "s.json"
    finished_session(small_bank, path)
    run = ceder("--bank", str(tmp_path / "bank-next"), "report", str(path), "--format", fmt)
    no_traceback(run)
    assert run.code == 0
    assert "Answers kept from an earlier version of the bank (4)" in run.out
    for qid in ("C2", "E1a", "P2", "D1"):
        assert qid in run.out
    assert "Plan owned by legal" in run.out and "500" in run.out and "500.0" not in run.out


def test_plain_mode_says_which_answers_no_longer_fit(small_bank: Bank, next_version: Bank, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    finished_session(small_bank, path)
    run = ceder("--bank", str(tmp_path / "bank-next"), "--plain", "--session", str(path), input="/quit\n")
    no_traceback(run)
    assert "4 earlier answers (C2, D1, E1a, P2) no longer fit it" in run.out


async def test_tui_says_which_answers_no_longer_fit(small_bank: Bank, next_version: Bank, tmp_path: Path) -> None:
    from textual.widgets import Markdown

    from assistant.tui.app import make_app

    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    for v in ("live", "dashboard", "people", ["arrest"], 500):
        a.answer(v)
    app = make_app(next_version, session_path=path, export_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = " ".join(m.source for m in app.screen.query(Markdown))
        assert "1 earlier answer (C2) no longer fits it" in text.replace("\\", "")
        assert "begun with question bank" in text
