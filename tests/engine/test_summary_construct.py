"""The summary is built without validation (``model_construct``): it must be exactly what validation gives.

The engine builds the summary from its own, already checked data, so its models skip
validation (and never build their validators for a Markdown report). These tests hold
that to account on every casebook case and shipped scenario, final and provisional: the
summary serialises without a warning, and validating what it serialises to gives back the
same values, of the same types (an ``int`` where the schema says ``float`` would be
printed ``3`` by a report where a validated summary prints ``3.0``).
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import pytest

from flows.answers_file import read_answers, run_answers
from flows.summary import Summary
from question_banks import load_bank
from question_banks.schema import Bank

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "casebook").glob("*.yaml")) + sorted(
    (ROOT / "question_banks" / "scenarios").glob("*.yaml")
)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


def _as_validated(summary: Summary) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic warns when it serialises a value of the wrong type
        sent = summary.model_dump_json()
    validated = Summary.model_validate_json(sent)
    assert validated.model_dump_json() == sent
    # The Python values too, types included (JSON writes an int as 3.0 in a float field; a report would print 3).
    assert repr(validated.model_dump()) == repr(summary.model_dump())


def test_there_are_cases() -> None:
    assert len(CASES) > 20


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_summary_is_what_validation_would_give(path: Path, bank: Bank) -> None:
    result = run_answers(bank, read_answers(path))
    _as_validated(result.assessment.summary(final=True))
    _as_validated(result.assessment.summary(final=False))


def test_a_summary_part_way_through_is_what_validation_would_give(bank: Bank) -> None:
    """Summaries after every fifth of a scenario's answers: dimensions still open, questions not reached."""
    answers = read_answers(CASES[-1])
    items = list(answers.answers.items())
    for n in range(0, len(items) + 1, 5):
        result = run_answers(bank, replace(answers, answers=dict(items[:n])))
        _as_validated(result.assessment.summary(final=False))
        _as_validated(result.assessment.summary(final=True))
