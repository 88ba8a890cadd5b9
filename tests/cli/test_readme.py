"""The README tells the truth: its test command is what CI runs, and its example answers file works."""

from __future__ import annotations

import re
from pathlib import Path

from flows.answers_file import read_answers
from question_banks import load_bank

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    run_cmd, test_cmd = commands
    assert run_cmd.endswith(".venv/bin/ceder") and "pytest" in test_cmd
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci.splitlines()


def test_example_answers_file_uses_real_ids(tmp_path: Path) -> None:
    example = re.search(r"```yaml\n(project:.+?)\n```", README, re.S)
    assert example is not None
    path = tmp_path / "a.yaml"
    path.write_text(example.group(1))
    answers = read_answers(path)
    bank = load_bank()
    for qid, value in answers.answers.items():
        q = bank.by_id[qid]
        values = value if isinstance(value, list) else [value]
        if q.options and value not in ("dont_know", "skip"):
            assert all(v in q.option_index for v in values), (qid, value)
    assert set(answers.notes) <= set(bank.by_id)
