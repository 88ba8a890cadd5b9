"""Engine invariants under random conversations, on several bank shapes.

Extends tests/engine/test_properties.py (bank_small, no revise) with ``revise``, ``finish``
and notes, with banks of random shape and the shipped bank, and with checks after every
move rather than only at the end:

- only relevant questions are scored, and the score equals a recomputation from scratch;
- the verdict follows from the blockers and conditions, and every blocker stands on a
  relevant answer whose rule holds;
- a refused move changes nothing; the machine's phase and the open question agree;
- the session survives save -> load unchanged, and a resumed assessment is the same.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import Assessment, FlowError, load_session
from flows.machine import SUMMARY, WELCOME
from flows.session import Session
from question_banks import Bank, lint, load_bank
from question_banks.schema import Question
from tests.conftest import SMALL_BANK
from tests.reliability.banks import random_bank

SHAPES: dict[str, Bank] = {"small": load_bank(SMALL_BANK)}
with tempfile.TemporaryDirectory(prefix="ceder-invariants-") as _tmp:  # the banks are loaded, then the files go
    for _seed in (1, 7, 23, 99):
        SHAPES[f"random-{_seed}"] = random_bank(Path(_tmp), _seed)
_shipped = lint(Path(__file__).resolve().parents[2] / "question_banks" / "shipped")
if _shipped.bank is not None:
    SHAPES["shipped"] = _shipped.bank

MOVE = st.tuples(
    st.sampled_from(
        ["answer"] * 5 + ["back", "skip", "dont_know", "revise", "revise", "proceed", "undo", "jump", "note", "finish"]
    ),
    st.integers(0, 10_000),
)
MOVES = st.lists(MOVE, max_size=50)


def value_for(q: Question, seed: int) -> Any:
    if q.kind in ("single", "scale"):
        return q.options[seed % len(q.options)].id
    if q.kind == "multi":
        plain = [o.id for o in q.options if not o.exclusive]
        chosen = [o for i, o in enumerate(plain) if (seed >> i) & 1]
        return chosen or [q.options[-1].id]
    if q.kind == "number":
        return float(seed % 300)
    return f"free text {seed} [b]not markup[/b]"


def step(a: Assessment, move: str, seed: int) -> None:
    bank = a.bank
    if move == "answer":
        if a.current is None:
            raise FlowError("no question")
        a.answer(value_for(a.current, seed))
    elif move == "revise":
        a.revise(bank.questions[seed % len(bank.questions)].id)
    elif move == "jump":
        phases = bank.phases()
        a.jump(phases[seed % len(phases)])
    elif move == "note":
        a.note(bank.questions[seed % len(bank.questions)].id, f"note {seed}")
    else:
        getattr(a, move)()


def check(a: Assessment) -> None:
    bank = a.bank
    # Incremental relevance and totals equal a recomputation from scratch.
    assert a.consistent()
    # Only relevant questions contribute to scores.
    for i, q in enumerate(bank.questions):
        if not a.tracker.relevant[i]:
            assert a.tracker.contrib[i] is None, q.id
    s = a.summary(final=True)
    assert all(a.is_relevant(d.question_id) for d in s.answers)
    assert all(a.is_relevant(q) for q in s.asked)
    assert not set(a.set_aside()) & {d.question_id for d in s.answers}
    # The verdict follows from the flags; each blocker stands on a relevant question.
    if s.blockers:
        assert s.verdict == "not_ready"
    elif s.conditions:
        assert s.verdict == "ready_with_conditions"
    else:
        assert s.verdict == "ready"
    for flag in [*s.blockers, *s.conditions]:
        assert flag.question_id == "-" or flag.question_id not in bank.by_id or a.is_relevant(flag.question_id)
    # The machine's phase and the open question agree.
    if a.state in bank.phases():
        assert a.current is not None and a.phase_of(a.current.id) == a.state
    elif a.state in (WELCOME, SUMMARY) or a.in_review:
        assert a.current is None
    # The same answers from scratch give the same summary.
    fresh = Assessment(bank, a.session.model_copy(deep=True))
    assert fresh.summary(final=True) == s
    # Save -> load is lossless (in memory; the disk test below writes real files).
    assert Session.model_validate_json(a.session.model_dump_json()) == a.session


def play(bank: Bank, moves: list[tuple[str, int]], path: Path | None = None, every: bool = True) -> Assessment:
    a = Assessment(bank, path=path)
    a.start()
    for move, seed in moves:
        before = a.session.model_dump()
        try:
            step(a, move, seed)
        except FlowError:
            assert a.session.model_dump() == before, f"refused {move} changed the session"
        if every:
            check(a)
    return a


@pytest.mark.parametrize("shape", sorted(SHAPES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moves=MOVES)
def test_invariants_hold_after_every_move(shape: str, moves: list[tuple[str, int]]) -> None:
    play(SHAPES[shape], moves)


@pytest.mark.parametrize("shape", sorted(SHAPES))
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(moves=MOVES)
def test_disk_round_trip_and_resume(shape: str, tmp_path: Path, moves: list[tuple[str, int]]) -> None:
    bank = SHAPES[shape]
    path = tmp_path / "s.json"
    path.unlink(missing_ok=True)
    a = play(bank, moves, path=path, every=False)
    loaded = load_session(path)
    assert loaded == a.session
    b = Assessment(bank, loaded, path=path)
    assert (b.state, b.session.current) == (a.state, a.session.current)
    assert b.summary() == a.summary()
    assert b.progress() == a.progress()
    check(b)


def test_random_shapes_differ() -> None:
    """The generated banks really are different shapes (so the parametrisation is not a copy of one test)."""
    shapes = {(len(b.questions), sum(q.ask_if is not None for q in b.questions)) for b in SHAPES.values()}
    assert len(shapes) >= 4
