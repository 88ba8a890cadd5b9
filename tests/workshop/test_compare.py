"""``ceder compare``: where sessions (or a group's participants) disagree, widest first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from flows import Assessment, load_session, save_session
from flows.compare import compare_sessions
from question_banks import Bank
from tests.conftest import SMALL_BANK

BANK = ["--bank", str(SMALL_BANK)]
TEAM_A = {"P1": "live", "P2": "dashboard", "C1": "people", "C1a": ["arrest"], "C2": 120, "E1": "no",
          "E1a": "Legal review", "E2": "2", "D1": "yes", "F1": "yes", "R1": "yes"}  # fmt: skip
TEAM_B = {"P1": "live", "P2": "dashboard", "C1": "places", "C2": 5000, "E1": "yes", "E2": "3", "D1": "yes",
          "F1": "no", "R1": "yes"}  # fmt: skip


def session_file(bank: Bank, path: Path, answers: dict[str, object], finish: bool = True) -> Path:
    a = Assessment(bank)
    for qid in bank.by_id:
        if qid in answers and a.is_relevant(qid):
            a.record(qid, answers[qid])  # type: ignore[arg-type]
    a.settle()
    if finish:
        a.finish()
    save_session(path, a.session)
    return path


@pytest.fixture
def teams(small_bank: Bank, tmp_path: Path) -> list[Path]:
    return [
        session_file(small_bank, tmp_path / "team-a.json", TEAM_A),
        session_file(small_bank, tmp_path / "team-b.json", TEAM_B),
    ]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_lists_questions_answered_differently_widest_first(
    capsys: pytest.CaptureFixture[str], teams: list[Path]
) -> None:
    code, out, err = run(capsys, *BANK, "compare", *map(str, teams))
    assert code == 0, err
    assert "Comparing 2 sessions" in out
    body = out.split("widest disagreement first", 1)[1]
    questions = [line.split(" · ")[0] for line in body.splitlines() if " · " in line and line[:1].isupper()]
    # E1: 0 vs 3 points; C1, F1, C1a: 2 apart; then unscored (C2, E1a); agreed ones not listed.
    assert questions[:1] == ["E1"]
    assert set(questions) == {"E1", "C1", "C1a", "E2", "F1", "C2", "E1a"}
    assert "P1" not in questions and "R1" not in questions
    assert "- No (0 pts): team-a" in out and "- Yes (3 pts): team-b" in out
    assert "- (does not apply): team-b" in out  # C1a: team-b's C1 answer does not bring it
    assert "from 120 to 5000" in out


def test_compare_shows_dimension_score_spread(capsys: pytest.CaptureFixture[str], teams: list[Path]) -> None:
    code, out, _ = run(capsys, *BANK, "compare", *map(str, teams), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["mode"] == "sessions"
    assert [s["label"] for s in doc["sources"]] == ["team-a", "team-b"]
    assert [s["verdict"] for s in doc["sources"]] == ["not_ready", "ready_with_conditions"]
    efficacy = next(d for d in doc["dimensions"] if d["id"] == "efficacy")
    assert efficacy["percent"] == {"team-a": 100.0, "team-b": 0.0}
    assert efficacy["spread"] == 100.0
    assert len(doc["dimensions"]) == 5
    first = doc["questions"][0]
    assert first["question_id"] == "E1" and first["spread"] == 3.0
    assert first["answers"]["team-a"] == {"answer": "no", "label": "No", "status": "answered", "points": 0.0}
    assert sorted(doc["agreed"]) == ["D1", "P1", "P2", "R1"]
    assert doc["compared"] == len(doc["agreed"]) + len(doc["questions"])


def test_unfinished_sessions_show_unanswered_questions(small_bank: Bank, tmp_path: Path) -> None:
    a = session_file(small_bank, tmp_path / "a.json", TEAM_A)
    b = session_file(small_bank, tmp_path / "b.json", {"P1": "live", "P2": "dashboard"}, finish=False)
    from flows import load_session

    c = compare_sessions(small_bank, {"a": load_session(a), "b": load_session(b)})
    e1 = next(s for s in c.questions if s.question_id == "E1")
    assert [(g.label, g.sources) for g in e1.groups] == [("No", ["a"]), ("(not answered)", ["b"])]
    assert e1.distinct == 1  # only one answer was given
    assert {s.label: s.finished for s in c.sources} == {"a": True, "b": False}


def test_identical_sessions_have_no_disagreements(capsys: pytest.CaptureFixture[str], teams: list[Path]) -> None:
    code, out, _ = run(capsys, *BANK, "compare", str(teams[0]), str(teams[0]), "--all")
    assert code == 0
    assert "No disagreements" in out
    assert "Answered alike: P1, P2, C1, C1a" in out


def test_same_file_names_in_different_folders_are_told_apart(
    capsys: pytest.CaptureFixture[str], small_bank: Bank, tmp_path: Path
) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    a = session_file(small_bank, tmp_path / "x" / "s.json", TEAM_A)
    b = session_file(small_bank, tmp_path / "y" / "s.json", TEAM_B)
    code, out, _ = run(capsys, *BANK, "compare", str(a), str(b), "--format", "json")
    assert code == 0
    assert [s["label"] for s in json.loads(out)["sources"]] == [str(a), str(b)]


def test_one_group_session_compares_its_participants(
    capsys: pytest.CaptureFixture[str], small_bank: Bank, tmp_path: Path
) -> None:
    path = tmp_path / "workshop.json"
    a = Assessment(small_bank, path=path)
    a.start()
    a.answer("live", by={"analyst": "live", "DPO": "live"})
    a.answer("dashboard", by={"analyst": "dashboard", "DPO": "dashboard"})
    a.answer("places", by={"analyst": "backoffice", "DPO": "people"})
    code, out, err = run(capsys, *BANK, "compare", str(path))
    assert code == 0, err
    assert "Comparing 2 participants" in out
    assert "the group recorded: Place-based planning" in out
    assert "- Back-office only (0 pts): analyst" in out
    assert "- Decisions about identifiable people (4 pts): DPO" in out
    code, out, _ = run(capsys, *BANK, "compare", str(path), "--format", "json")
    doc = json.loads(out)
    assert doc["mode"] == "participants"
    complexity = next(d for d in doc["dimensions"] if d["id"] == "complexity")
    # Each participant's own answer, scored: back-office (0 of 4) against people (4 of 4), with C1a then open for DPO.
    assert complexity["percent"]["analyst"] < complexity["percent"]["DPO"]


def test_one_session_without_group_answers_is_an_error(capsys: pytest.CaptureFixture[str], teams: list[Path]) -> None:
    code, out, err = run(capsys, *BANK, "compare", str(teams[0]))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "no participants' answers" in err and str(teams[0]) in err


def test_broken_session_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str], teams: list[Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, err = run(capsys, *BANK, "compare", str(teams[0]), str(bad))
    assert code == 1 and err.count("\n") == 1 and str(bad) in err and "Traceback" not in err


def test_sessions_from_different_banks_are_refused(
    capsys: pytest.CaptureFixture[str], teams: list[Path], tmp_path: Path
) -> None:
    other = json.loads(teams[1].read_text())
    other["bank"]["id"] = "someone-else"
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps(other))
    code, _, err = run(capsys, *BANK, "compare", str(teams[0]), str(odd))
    assert code == 1 and "someone-else" in err and str(odd) in err


def test_compare_writes_to_a_file(capsys: pytest.CaptureFixture[str], teams: list[Path], tmp_path: Path) -> None:
    out_file = tmp_path / "cmp.json"
    code, out, _ = run(capsys, *BANK, "compare", *map(str, teams), "--format", "json", "-o", str(out_file))
    assert code == 0 and out == ""
    assert json.loads(out_file.read_text())["questions"]
    code, _, err = run(capsys, *BANK, "compare", *map(str, teams), "-o", str(out_file))
    assert code == 1 and "already exists" in err


def test_user_text_is_cleaned_of_terminal_escapes(
    capsys: pytest.CaptureFixture[str], small_bank: Bank, tmp_path: Path
) -> None:
    a = session_file(small_bank, tmp_path / "a.json", {**TEAM_A, "E1a": "plan \x1b[31mred\x1b[0m"})
    b = session_file(small_bank, tmp_path / "b.json", {**TEAM_A, "E1a": "other plan"})
    code, out, _ = run(capsys, *BANK, "compare", str(a), str(b))
    assert code == 0
    assert "\x1b" not in out and "- plan red: a" in out


def test_compare_needs_at_least_one_session(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*BANK, "compare"])
    assert exit_.value.code == 2


def test_compare_and_graph_never_import_textual(teams: list[Path]) -> None:
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from assistant.cli import main\n"
        f"assert main(['--bank', {str(SMALL_BANK)!r}, 'compare', {str(teams[0])!r}, {str(teams[1])!r}]) == 0\n"
        f"assert main(['--bank', {str(SMALL_BANK)!r}, 'graph', '--format', 'dot']) == 0\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_sessions_with_no_answers_are_left_out(
    capsys: pytest.CaptureFixture[str], teams: list[Path], small_bank: Bank, tmp_path: Path
) -> None:
    empty = session_file(small_bank, tmp_path / "browser-closed.json", {}, finish=False)
    code, out, err = run(capsys, "compare", *BANK, *map(str, teams), str(empty))
    assert code == 0
    assert "left out 1 session with no answers" in err and "browser-closed.json" in err
    assert out.startswith("Comparing 2 sessions") and "browser-closed" not in out
    code, _, err = run(capsys, "compare", *BANK, str(empty), str(empty))
    assert code == 1 and "none of the sessions has any answers" in err


def test_sessions_are_grouped_by_project(capsys: pytest.CaptureFixture[str], small_bank: Bank, tmp_path: Path) -> None:
    paths = []
    for name, project, answers in (
        ("a1", "Custody triage", TEAM_A),
        ("a2", "custody  triage", TEAM_B),
        ("b1", "Patrol planning", TEAM_A),
    ):
        path = session_file(small_bank, tmp_path / f"{name}.json", answers)
        a = Assessment(small_bank, load_session(path), path=path)
        a.set_project(name=project)
        paths.append(str(path))
    code, out, _ = run(capsys, "compare", *BANK, *paths)
    assert code == 0
    assert "== Project: Custody triage (2 sessions)\nComparing 2 sessions" in out
    assert "== Project: Patrol planning (1 session)\nOnly one session of this project" in out
    code, out, _ = run(capsys, "compare", *BANK, "--format", "json", *paths)
    doc = json.loads(out)
    assert [p["project"] for p in doc["projects"]] == ["Custody triage", "Patrol planning"]
    assert [s["label"] for s in doc["projects"][0]["comparison"]["sources"]] == ["a1", "a2"]
    assert doc["projects"][1]["comparison"] is None
