"""The headless command line: each command, its exit codes and its one-line errors."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from tests.conftest import SMALL_BANK
from tests.helpers.fresh import in_fresh_python

BANK = ["--bank", str(SMALL_BANK)]
ANSWERS = """\
project: {name: "Fixture project", assessor: "A. Lead"}
answers:
  P1: live
  P2: dashboard
  C1: people
  C1a: [arrest]
  C2: 120
  E1: "no"
  E1a: "Legal review booked for March"
  E2: "2"
  D1: "yes"
  D2: "yes"
  F1: "yes"
  R1: "yes"
notes:
  E1: "See the legal note [/]"
"""


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(ANSWERS)
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("ceder ")


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run"])
    assert exit_.value.code == 2
    assert "--answers" in capsys.readouterr().err


def test_questions_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, *BANK, "questions", "--format", "json")
    assert code == 0
    items = json.loads(out)
    assert [i["id"] for i in items][:3] == ["P1", "P2", "C1"]
    c1a = next(i for i in items if i["id"] == "C1a")
    assert c1a["dimension"] == "complexity" and c1a["kind"] == "multi"
    assert c1a["ask_if"] == {"op": "equals", "question": "C1", "value": "people"}
    assert c1a["options"][0] == {"id": "arrest", "label": "Arrest", "score": 2.0}
    assert all(i["help"] and i["references"] for i in items)
    assert next(i for i in items if i["id"] == "P1")["dimension"] == "profile"


def test_questions_text_and_bank_after_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "questions", "--bank", str(SMALL_BANK))
    assert code == 0 and "C1a" in out and "[if C1 = people]" in out


def test_validate_clean_prints_maxima(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "validate", str(SMALL_BANK))
    assert code == 0
    assert "OK" in out and "complexity  4 / 8" in out


def test_validate_reports_every_problem(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import shutil

    bank = tmp_path / "b"
    shutil.copytree(SMALL_BANK, bank)
    for name in ("40-efficacy.yaml", "50-readiness.yaml"):
        p = bank / name
        p.write_text(p.read_text().replace("references: [", "references: [] #"))
    code, out, err = run_cli(capsys, "validate", str(bank))
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert all(": F1: " in ln or ": R1: " in ln for ln in lines)
    assert "2 problems in" in err


def test_run_json_and_ignored_answers(capsys: pytest.CaptureFixture[str], answers_file: Path) -> None:
    code, out, err = run_cli(capsys, *BANK, "run", "--answers", str(answers_file), "--format", "json")
    assert code == 0
    s = json.loads(out)
    assert s["verdict"] == "not_ready"
    assert (
        s["blockers"]
        == [{"question_id": "E1", "message": "No legal power identified.", "dimension": "ethics", "source": "rule"}]
        or s["blockers"][0]["question_id"] == "E1"
    )
    assert "D2" not in s["asked"]
    assert "ignored" in err and "D2" in err


def test_run_markdown_to_file_and_no_overwrite(
    capsys: pytest.CaptureFixture[str], answers_file: Path, tmp_path: Path
) -> None:
    out_path = tmp_path / "r.md"
    code, _, _ = run_cli(capsys, *BANK, "run", "--answers", str(answers_file), "-o", str(out_path))
    assert code == 0
    assert "Not ready" in out_path.read_text()
    assert stat.S_IMODE(out_path.stat().st_mode) == 0o600
    code, _, err = run_cli(capsys, *BANK, "run", "--answers", str(answers_file), "-o", str(out_path))
    assert code == 1 and "already exists" in err
    code, _, _ = run_cli(capsys, *BANK, "run", "--answers", str(answers_file), "-o", str(out_path), "--force")
    assert code == 0


def test_run_save_then_report(capsys: pytest.CaptureFixture[str], answers_file: Path, tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    code, run_out, _ = run_cli(
        capsys, *BANK, "run", "--answers", str(answers_file), "--format", "json", "--save", str(session)
    )
    assert code == 0
    data = json.loads(session.read_text())
    assert data["state"] == "summary" and data["notes"]["E1"] == "See the legal note [/]"
    code, report_out, _ = run_cli(capsys, *BANK, "report", str(session), "--format", "json")
    assert code == 0
    assert json.loads(report_out) == json.loads(run_out)


def test_run_partial_answers_saves_a_session_that_continues(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    partial = tmp_path / "a.yaml"
    partial.write_text("answers:\n  P1: design\n  P2: ml\n")
    session = tmp_path / "s.json"
    code, out, _ = run_cli(capsys, *BANK, "run", "--answers", str(partial), "--format", "json", "--save", str(session))
    assert code == 0
    assert {g["question_id"] for g in json.loads(out)["evidence_gaps"]} >= {"C1", "E1"}
    data = json.loads(session.read_text())
    assert data["state"] == "complexity" and data["current"] == "C1"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("answers:\n  P1: design\n  Z9: x\n", "unknown question id 'Z9'"),
        ("answers:\n  P1: maybe\n", "'maybe' is not an option"),
        ("answers: [1, 2]\n", "expected a mapping"),
        ("answers:\n  P1: [design\n", "YAML syntax error"),
        ("answers:\n  P1: {a: 1}\n", "answer must be"),
    ],
)
def test_run_bad_answers_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(content)
    code, _, err = run_cli(capsys, *BANK, "run", "--answers", str(path))
    assert code == 1
    assert expected in err and str(path) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_report_bad_session(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("{not json")
    code, _, err = run_cli(capsys, *BANK, "report", str(path))
    assert code == 1 and "invalid JSON" in err and len(err.strip().splitlines()) == 1


def test_report_session_of_another_bank(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"schema_version": 1, "bank": {"id": "other", "version": "1"}}))
    code, _, err = run_cli(capsys, *BANK, "report", str(path))
    assert code == 1 and "made with bank 'other'" in err


def test_bad_bank_dir_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(capsys, "--bank", str(tmp_path / "missing"), "questions")
    assert code == 1 and "not a directory" in err and len(err.strip().splitlines()) == 1


def test_headless_commands_do_not_import_textual(answers_file: Path, tmp_path: Path) -> None:
    session = tmp_path / "s.json"
    code = (
        "import sys; from assistant.cli import main; codes = ["
        f"main(['--bank', {str(SMALL_BANK)!r}, 'run', '--answers', {str(answers_file)!r}, '--format', 'json', "
        f"'--save', {str(session)!r}]), "
        f"main(['--bank', {str(SMALL_BANK)!r}, 'questions']), main(['validate', {str(SMALL_BANK)!r}]), "
        f"main(['--bank', {str(SMALL_BANK)!r}, 'report', {str(session)!r}, '--format', 'csv']), "
        f"main(['--bank', {str(SMALL_BANK)!r}, 'scenarios'])]; "
        "assert codes == [0, 0, 0, 0, 0], codes; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'markdown_it', 'jinja2')]; "
        "print(sorted(bad)); sys.exit(1 if bad else 0)"
    )
    env = {**os.environ, "CEDER_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_tui_opens_its_first_screen_from_the_command_line_without_the_engine() -> None:
    """Parsing the command line and reaching the TUI's entry point import neither pydantic nor the engine."""
    code = (
        "import sys; from assistant.cli import build_parser; build_parser().parse_args([]); "
        "import assistant.launch, assistant.tui.app; "
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('pydantic', 'transitions', 'jinja2', 'yaml')]; "
        "print(sorted(heavy)); sys.exit(1 if heavy else 0)"
    )
    in_fresh_python(code)


def test_python_dash_m_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.startswith("ceder ")


def test_output_to_dev_null_writes_through_and_never_replaces_it(
    capsys: pytest.CaptureFixture[str], answers_file: Path
) -> None:
    import os

    before = os.stat("/dev/null")
    code, _, _ = run_cli(capsys, *BANK, "run", "--answers", str(answers_file), "-o", "/dev/null", "--force")
    after = os.stat("/dev/null")
    assert code == 0
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
