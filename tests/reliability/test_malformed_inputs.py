"""Malformed banks and answers files: each ends in exit 1, ``FILE:LINE`` and a reason, within a second.

The corpus (tests/reliability/corpus.py) builds every input at test time. Each case runs
the real command in a subprocess, so "never a traceback" covers start-up too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SMALL_BANK
from tests.reliability.conftest import ONE_LINE_ERROR, PROBLEM, ceder, no_traceback
from tests.reliability.corpus import ANSWERS_CASES, BANK_CASES, Case

HANG = 60.0
"""Seconds after which a command counts as hung. Speed itself is measured in benchmarks/, never asserted here."""


def _names_file(found: str, case: Case, target: Path) -> bool:
    if not case.file:
        return found == str(target)
    return Path(found).name == case.file or found.endswith(case.file)


def test_corpus_is_large_enough() -> None:
    assert len({c.name for c in BANK_CASES}) == len(BANK_CASES) >= 25
    assert len({c.name for c in ANSWERS_CASES}) == len(ANSWERS_CASES) >= 25


@pytest.mark.parametrize("case", BANK_CASES, ids=lambda c: c.name)
def test_malformed_bank_validate(case: Case, tmp_path: Path) -> None:
    bank = case.build(tmp_path)
    run = ceder("validate", str(bank), timeout=HANG)
    no_traceback(run)
    assert run.code == 1, run.out
    lines = run.out.strip().splitlines()
    assert lines, run.err
    parsed = [PROBLEM.match(line) for line in lines]
    assert all(parsed), lines
    assert any(_names_file(m["file"], case, bank) and case.reason.lower() in m["msg"].lower() for m in parsed if m), (
        lines
    )
    assert f"{len(lines)} problem{'' if len(lines) == 1 else 's'} in " in run.err


@pytest.mark.parametrize("case", BANK_CASES, ids=lambda c: c.name)
def test_malformed_bank_any_command(case: Case, tmp_path: Path) -> None:
    """Every command that takes ``--bank`` refuses it in one line naming a file and line."""
    bank = case.build(tmp_path)
    run = ceder("--bank", str(bank), "questions", "--format", "json", timeout=HANG)
    no_traceback(run)
    assert run.code == 1 and run.out == ""
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, lines
    m = ONE_LINE_ERROR.match(lines[0])
    assert m is not None, lines[0]


@pytest.mark.parametrize("case", ANSWERS_CASES, ids=lambda c: c.name)
def test_malformed_answers_file(case: Case, tmp_path: Path) -> None:
    answers = case.build(tmp_path)
    out = tmp_path / "summary.md"
    run = ceder("--bank", str(SMALL_BANK), "run", "--answers", str(answers), "-o", str(out), timeout=HANG)
    no_traceback(run)
    assert run.code == 1
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, lines
    m = ONE_LINE_ERROR.match(lines[0])
    assert m is not None, lines[0]
    assert _names_file(m["file"], case, answers), lines[0]
    assert case.reason.lower() in m["msg"].lower(), lines[0]
    assert not out.exists()
