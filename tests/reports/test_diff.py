"""``ceder diff``: what changed between two assessments of the same project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.reports.diff import compare, render_json, render_text
from flows import Summary
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.reports.conftest import AFTER, BEFORE, saved


def test_lists_exactly_the_changed_answers(before: Summary, after: Summary) -> None:
    d = compare(before, after)
    assert [(a.question_id, a.old, a.new) for a in d.answers_changed] == [
        ("E1", "Partly", "Yes"),
        ("D1", "Don't know", "Yes"),
        ("D2", "No", "Yes"),
    ]
    assert d.answers_added == []
    assert [(a.question_id, a.old, a.reason) for a in d.answers_removed] == [
        ("E1a", "Legal services to advise by June.", "no longer asked")
    ]
    e1 = d.answers_changed[0]
    assert (e1.old_points, e1.new_points, e1.max_points) == (1, 3, 3)


def test_scores_ratings_tier_verdict_and_flags(before: Summary, after: Summary) -> None:
    d = compare(before, after)
    assert d.verdict_changed and (d.old.verdict, d.new.verdict) == ("not_ready", "ready_with_conditions")
    moved = {x.id: (x.old_score, x.new_score, x.old_rating, x.new_rating) for x in d.dimensions if x.changed}
    assert set(moved) == {"ethics", "data"}
    assert moved["data"][:2] == (0.0, 4.0)
    assert [f["question_id"] for f in d.blockers.resolved] == ["D2"]
    assert d.blockers.added == []
    resolved = {f["question_id"] for f in d.conditions.resolved}
    assert "data" in resolved, "the data tier-minimum condition is met now"
    assert d.changed


def test_notes_and_owners(before: Summary, after: Summary) -> None:
    d = compare(before, after)
    assert [n.question_id for n in d.notes] == ["E1", "D2"]
    assert d.notes[1].old == "APD drafted but not signed." and d.notes[1].new == "APD signed by the SIRO."
    # E2's action stands in both; its owner was recorded only the second time.
    assert [(o.question_id, o.old, o.new) for o in d.owners] == [("E2", "", "Superintendent, Operations")]


def test_same_assessment_has_no_differences(before: Summary) -> None:
    d = compare(before, before)
    assert not d.changed
    assert "No differences" in render_text(d)
    assert json.loads(render_json(d))["changed"] is False


def test_revision_that_sets_an_answer_aside(before: Summary, revised: Summary) -> None:
    d = compare(before, revised)
    assert [a.question_id for a in d.answers_changed] == ["C1"]
    assert [(a.question_id, a.reason) for a in d.answers_removed] == [("C1a", "set aside by a revision")]
    assert d.tier_changed


def test_text_output_reads_as_a_summary_of_changes(before: Summary, after: Summary) -> None:
    text = render_text(compare(before, after, "march.json", "june.json"))
    lines = text.splitlines()
    assert lines[0] == "Changes between two assessments of Hotspot mapping pilot"
    assert "Verdict:     Not ready → Ready with conditions" in lines
    assert "Blockers resolved (1)" in lines
    assert "Answers changed (3)" in lines
    assert any(line.strip() == "Partly (1/3) → Yes (3/3)" for line in lines)
    assert "Answers no longer given (1)" in lines
    assert lines[-1].startswith("In all: 3 answers changed, 0 added, 1 no longer given, 2 notes changed")
    assert all(len(line) <= 160 for line in lines)


def test_text_output_has_no_terminal_escapes(before: Summary, hostile: Summary) -> None:
    text = render_text(compare(before, hostile))
    assert "\x1b" not in text and "\x07" not in text
    assert "@cmd red click done" in text
    assert "project names differ" in text


def test_json_output(before: Summary, after: Summary) -> None:
    data = json.loads(render_json(compare(before, after, "a", "b")))
    assert data["verdict"] == {"old": "not_ready", "new": "ready_with_conditions", "changed": True}
    assert [a["question_id"] for a in data["answers"]["changed"]] == ["E1", "D1", "D2"]
    assert [a["question_id"] for a in data["answers"]["removed"]] == ["E1a"]
    assert data["answers"]["added"] == []
    assert [b["question_id"] for b in data["blockers"]["resolved"]] == ["D2"]
    assert len(data["dimensions"]) == 5
    assert data["old"]["source"] == "a" and data["new"]["source"] == "b"


# -- the command ------------------------------------------------------------------
@pytest.fixture
def sessions(small_bank: Bank, tmp_path: Path) -> tuple[str, str]:
    return (
        str(saved(small_bank, BEFORE, tmp_path / "before.json")),
        str(saved(small_bank, AFTER, tmp_path / "after.json")),
    )


def test_cli_text(sessions: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--bank", str(SMALL_BANK), "diff", *sessions]) == 0
    out = capsys.readouterr().out
    assert "Answers changed (3)" in out and "Blockers resolved (1)" in out


def test_cli_json_to_file(sessions: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "diff.json"
    assert main(["--bank", str(SMALL_BANK), "diff", *sessions, "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["changed"] is True
    assert out.stat().st_mode & 0o777 == 0o600
    assert main(["--bank", str(SMALL_BANK), "diff", *sessions, "--format", "json", "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_cli_unreadable_session(sessions: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["--bank", str(SMALL_BANK), "diff", sessions[0], str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(broken) in err and "Traceback" not in err
    assert main(["--bank", str(SMALL_BANK), "diff", str(tmp_path / "missing.json"), sessions[1]]) == 1
    assert "missing.json" in capsys.readouterr().err


def test_cli_different_banks(sessions: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = json.loads(Path(sessions[1]).read_text())
    other["bank"]["id"] = "another-bank"
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other))
    assert main(["--bank", str(SMALL_BANK), "diff", sessions[0], str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "different banks" in err


def test_cli_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["diff", "only-one.json"])
    assert exc.value.code == 2


def test_diff_and_report_do_not_import_textual(sessions: tuple[str, str], tmp_path: Path) -> None:
    code = (
        "import sys; from assistant.cli import main\n"
        f"assert main(['--bank', {str(SMALL_BANK)!r}, 'diff', {sessions[0]!r}, {sessions[1]!r}]) == 0\n"
        f"assert main(['--bank', {str(SMALL_BANK)!r}, 'report', {sessions[1]!r}, '--format', 'html']) == 0\n"
        "assert not [m for m in sys.modules if m == 'textual' or m.startswith('textual.')], 'textual imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr


def test_text_output_is_headed_by_the_project_details(before: Summary, after: Summary) -> None:
    after = after.model_copy(deep=True)
    after.project.organisation = "Northshire Police"
    after.project.sro = "ACC Crime"
    after.project.role = "Project lead"
    text = render_text(compare(before, after, "old.json", "new.json"))
    head = text.splitlines()[:5]
    assert "Northshire Police" in head[0]
    assert any("Senior responsible owner: ACC Crime" in line for line in head)
    assert "(Project lead)" in text
    assert json.loads(render_json(compare(before, after, "old.json", "new.json")))["new"]["sro"] == "ACC Crime"
