"""Property-based invariants over random sequences of conversation moves."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import Assessment, FlowError, load_session, save_session
from flows.scoring import recompute
from flows.summary import PRIORITY_ORDER
from question_banks import load_bank
from question_banks.schema import Question
from tests.conftest import SMALL_BANK

BANK = load_bank(SMALL_BANK)
MOVES = st.lists(
    st.tuples(
        st.sampled_from(["answer", "answer", "answer", "back", "skip", "dont_know", "proceed", "undo", "jump"]),
        st.integers(0, 1000),
    ),
    max_size=40,
)


def value_for(q: Question, seed: int) -> object:
    if q.kind in ("single", "scale"):
        return q.options[seed % len(q.options)].id
    if q.kind == "multi":
        plain = [o.id for o in q.options if not o.exclusive]
        return [o for i, o in enumerate(plain) if (seed >> i) & 1] or [q.options[-1].id]
    if q.kind == "number":
        return float(seed)
    return f"text {seed}"


def play(moves: list[tuple[str, int]], path: Path | None = None) -> Assessment:
    a = Assessment(BANK, path=path)
    a.start()
    for move, seed in moves:
        try:
            if move == "answer" and a.current is not None:
                a.answer(value_for(a.current, seed))  # type: ignore[arg-type]
            elif move == "jump":
                a.jump(BANK.phases()[seed % len(BANK.phases())])
            elif move in ("back", "skip", "dont_know", "proceed", "undo"):
                getattr(a, move)()
        except FlowError:
            pass
    return a


@settings(max_examples=150, deadline=None)
@given(MOVES)
def test_incremental_state_equals_recomputation(moves: list[tuple[str, int]]) -> None:
    a = play(moves)
    assert a.tracker.snapshot() == recompute(BANK, a.answers)
    assert a.provisional_tier() == a.summary(final=False).impact_tier


@settings(max_examples=150, deadline=None)
@given(MOVES)
def test_only_relevant_questions_are_scored(moves: list[tuple[str, int]]) -> None:
    a = play(moves)
    s = a.summary()
    for qid in s.asked:
        assert a.is_relevant(qid)
    scored = {d.question_id for d in s.answers}
    assert all(a.is_relevant(q) for q in scored)
    assert not set(a.set_aside()) & set(s.asked)
    for dim in s.dimensions:
        assert 0 <= dim.score <= dim.max_score or dim.id == "complexity"


@settings(max_examples=150, deadline=None)
@given(MOVES)
def test_verdict_is_consistent_with_flags(moves: list[tuple[str, int]]) -> None:
    s = play(moves).summary(final=True)
    if s.blockers:
        assert s.verdict == "not_ready"
    elif s.conditions:
        assert s.verdict == "ready_with_conditions"
    else:
        assert s.verdict == "ready"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(MOVES)
def test_save_then_load_gives_an_identical_session(tmp_path: Path, moves: list[tuple[str, int]]) -> None:
    path = tmp_path / "s.json"
    a = play(moves, path=path)
    loaded = load_session(path)
    assert loaded == a.session
    b = Assessment(BANK, loaded)
    assert b.state == a.state and b.session.current == a.session.current
    assert b.summary() == a.summary()
    save_session(tmp_path / "again.json", b.session)
    assert load_session(tmp_path / "again.json") == loaded


# -- the verdict model on the shipped bank --------------------------------------------------
SHIPPED = load_bank()
STAGES = ["idea", "design", "approval", "pilot", "live"]
SEEDS = st.lists(st.integers(0, 10_000), min_size=len(SHIPPED.questions), max_size=len(SHIPPED.questions))


def answer_all(seeds: list[int], stage: str) -> Assessment:
    """Every relevant question of the shipped bank answered from ``seeds`` (a quarter as gaps), at ``stage``."""
    a = Assessment(SHIPPED)
    a.start()
    for q, seed in zip(SHIPPED.questions, seeds, strict=True):
        if not a.is_relevant(q.id):
            continue
        value = stage if q.id == "S1" else "dont_know" if seed % 4 == 0 and q.kind != "text" else value_for(q, seed)
        try:
            a.record(q.id, value)  # type: ignore[arg-type]
        except FlowError:
            a.record(q.id, "skip")
    a.settle()
    return a


@settings(max_examples=40, deadline=None)
@given(SEEDS)
def test_every_flag_has_a_plan_entry_and_the_head_is_short(seeds: list[int]) -> None:
    s = answer_all(seeds, STAGES[seeds[0] % len(STAGES)]).summary(final=True)
    assert (s.verdict == "not_ready") == bool(s.blockers)
    assert s.verdict != "ready" or not s.conditions
    ids = [a.id for a in s.actions]
    assert len(ids) == len(set(ids))
    assert sum(1 for a in s.actions if not a.appendix) <= SHIPPED.scoring.action_plan.head
    assert [a.appendix for a in s.actions] == sorted(a.appendix for a in s.actions)
    priority = {a.id: PRIORITY_ORDER[a.priority] for a in s.actions}
    for flag in (*s.blockers, *s.conditions):
        assert flag.action_ids, flag  # every flag names the entries that answer it...
        if flag.source == "tier_minimum":  # ...and a shortfall's entries carry its priority
            assert all(priority[i] <= (0 if flag in s.blockers else 1) for i in flag.action_ids), flag
    assert s.mitigated_tier is None or s.mitigated_tier <= s.impact_tier


@settings(max_examples=25, deadline=None)
@given(SEEDS)
def test_a_blocker_never_goes_away_as_the_project_advances(seeds: list[int]) -> None:
    # Blockers raised by answers (dimension minimums move with the questions each stage asks).
    blocked = [
        {b.question_id for b in answer_all(seeds, stage).summary(final=True).blockers if b.source != "tier_minimum"}
        for stage in ("design", "approval", "live")
    ]
    assert blocked[0] <= blocked[1] <= blocked[2]
