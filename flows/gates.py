"""Stages and gates: which gate a verdict is for, and what is due by then.

A project moves through stages (idea, design, approval, pilot, live, major change) and passes
gates between them: the start of build, the first use on real cases (a pilot, or go-live without
one), go-live after a pilot, and then continued live use. The verdict answers one question: may
the project pass its next gate? A requirement due by a gate the project has reached or passed
applies as written (a blocker blocks); one due by a gate still ahead is a condition *for that
gate*, named as such, so a design-stage project is not blocked by what it will do before a pilot
and a live tool is never told to act "before go-live".
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from flows.scoring import Tracker
from question_banks.schema import Bank

Stage = Literal["idea", "design", "approval", "pilot", "live", "major_change"]
VerdictGate = Literal["build", "pilot", "go_live", "continued_use"]

GATE_RANK: dict[str, int] = {"build": 0, "pilot": 1, "go_live": 2, "continued_use": 2}

DEFAULT_GATE = "pilot"
"""A rule that names no gate is due by the pilot gate: before the tool affects real cases."""

GATE_LABELS: dict[str, str] = {
    "build": "the start of design and build",
    "pilot": "approval to pilot or go live",
    "go_live": "go-live",
    "continued_use": "continued live use",
}
BEFORE: dict[str, str] = {
    "build": "Before build starts",
    "pilot": "Before any pilot or go-live",
    "go_live": "Before go-live",
}


class Position(NamedTuple):
    """Where a project stands: its stage, the gate its verdict is for, and the gates it has reached."""

    stage: Stage | None
    gate: VerdictGate
    reached: int
    """Rank of the last gate reached or passed: requirements due by it (or earlier) apply now."""
    in_use: bool
    """Whether the tool already affects real cases (pilot, live or a change to a live tool)."""

    @property
    def gate_rank(self) -> int:
        return GATE_RANK[self.gate]

    def due_now(self, gate: str | None) -> bool:
        """Whether a requirement due by ``gate`` (default: the pilot gate) applies as written now."""
        return GATE_RANK[gate or DEFAULT_GATE] <= self.reached

    def gate_label(self) -> str:
        if self.stage == "major_change":
            return "live use of the changed tool"
        return GATE_LABELS[self.gate]


# stage -> (the gate the verdict is for, rank of the last gate reached, in use)
_POSITIONS: dict[str, tuple[VerdictGate, int, bool]] = {
    "idea": ("build", 0, False),  # deciding whether to build: the build gate is the one at hand
    "design": ("pilot", 0, False),  # building towards the pilot gate, not yet at it
    "approval": ("pilot", 1, False),  # at the pilot gate
    "pilot": ("go_live", 1, True),  # past the pilot gate, working towards go-live
    "live": ("continued_use", 2, True),
    "major_change": ("go_live", 2, True),  # a live tool: everything is due, the change goes live next
}
UNKNOWN_STAGE: tuple[VerdictGate, int, bool] = ("pilot", 1, False)
"""A stage not given is judged at the pilot gate: before real people are affected."""


def position(bank: Bank, tracker: Tracker) -> Position:
    """The project's position from the bank's stage question (see ``scoring.stage_question``)."""
    scoring = bank.scoring
    stage: str | None = None
    if scoring.stage_question is not None:
        fact = tracker.facts.get(scoring.stage_question)
        if fact is not None and isinstance(fact.value, str):
            stage = scoring.stages.get(fact.value, fact.value)
    if stage not in _POSITIONS:
        gate, reached, in_use = UNKNOWN_STAGE
        return Position(None, gate, reached, in_use)
    gate, reached, in_use = _POSITIONS[stage]
    return Position(stage, gate, reached, in_use)  # type: ignore[arg-type]


def priority_label(priority: str, gate: str, gate_label: str = "", due_by: str = "") -> str:
    """A plan priority in words that name its gate (the JSON keeps the fixed ids).

    ``gate`` is the gate the verdict is for and ``gate_label`` its words; ``due_by`` the later
    gate a condition is due by. A live tool has no next gate to pass: what it must meet is a
    condition of its continued use, so it is never called a condition "for the next gate".
    """
    if priority == "condition_next_gate":
        if gate == "continued_use":
            return "Condition of continued use"
        return f"Condition for {gate_label or GATE_LABELS.get(gate, 'the next gate')}"
    if priority == "condition_later_gate":
        return (
            f"Condition for {GATE_LABELS[due_by]} (a later gate)"
            if due_by in GATE_LABELS
            else "Condition for a later gate"
        )
    return {"blocker": "Blocker", "improvement": "Improvement"}.get(priority, priority.replace("_", " ").capitalize())
