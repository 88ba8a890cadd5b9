"""Fixture sessions for the report and diff tests, made by playing answers files through the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import Assessment, Summary, save_session
from flows.answers_file import read_answers, run_answers
from flows.session import AnswerRecord
from question_banks import Bank
from tests.conftest import FIXTURES, SMALL_BANK

BEFORE = FIXTURES / "report_before.yaml"
AFTER = FIXTURES / "report_after.yaml"
HOSTILE = FIXTURES / "report_hostile.yaml"


def play(bank: Bank, answers: Path) -> Assessment:
    return run_answers(bank, read_answers(answers)).assessment


def saved(bank: Bank, answers: Path, path: Path) -> Path:
    save_session(path, play(bank, answers).session)
    return path


@pytest.fixture
def before(small_bank: Bank) -> Summary:
    return play(small_bank, BEFORE).summary(final=True)


@pytest.fixture
def after(small_bank: Bank) -> Summary:
    return play(small_bank, AFTER).summary(final=True)


@pytest.fixture
def hostile(small_bank: Bank) -> Summary:
    return play(small_bank, HOSTILE).summary(final=True)


@pytest.fixture
def revised(small_bank: Bank) -> Summary:
    """C1a answered, then C1 revised so C1a no longer applies: C1a is set aside."""
    a = play(small_bank, BEFORE)
    a.record("C1", "places")
    a.settle()
    return a.summary(final=True)


@pytest.fixture
def unfinished(small_bank: Bank) -> Summary:
    """Only the profile and one ethics answer: a draft, with questions not reached."""
    a = Assessment(small_bank)
    a.start()
    a.record("P1", "design")
    a.record("P2", "ml")
    a.record("E1", "yes")
    a.settle()
    return a.summary(final=True)  # as `ceder report` does


@pytest.fixture
def group(small_bank: Bank) -> Summary:
    """A group session where two participants disagreed on E2."""
    a = play(small_bank, BEFORE)
    a.session.participants = ["analyst", "DPO"]
    a.session.answers["E2"] = AnswerRecord(value="1", by={"analyst": "2", "DPO": "1"})
    return Assessment(small_bank, a.session).summary(final=True)


@pytest.fixture
def bank_dir() -> str:
    return str(SMALL_BANK)
