"""The readiness summary: SPEC 3.5's JSON, extended only by new keys."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from question_banks.conditions import AnswerValue

Verdict = Literal["ready", "ready_with_conditions", "not_ready"]
Rating = Literal["red", "amber", "green"]
Priority = Literal["blocker", "condition_next_gate", "condition_later_gate", "improvement"]
ActionStatus = Literal["open", "in_progress", "done"]
GapReason = Literal["dont_know", "skipped", "unanswered"]
FlagSource = Literal["rule", "evidence_gap", "tier_minimum", "duty", "inconsistency"]
AnswerFlag = Literal["blocker", "condition", "weak", "gap"]

VERDICT_LABELS: dict[str, str] = {
    "ready": "Ready",
    "ready_with_conditions": "Ready with conditions",
    "not_ready": "Not ready",
}
TIER_LABELS = {1: "I", 2: "II", 3: "III", 4: "IV"}
PRIORITY_ORDER = {"blocker": 0, "condition_next_gate": 1, "condition_later_gate": 2, "improvement": 3}
PRIORITY_LABELS: dict[str, str] = {
    "blocker": "Blocker",
    "condition_next_gate": "Condition for the next gate",
    "condition_later_gate": "Condition for a later gate",
    "improvement": "Improvement",
}
PRIORITY_MEANINGS: dict[str, str] = {
    "blocker": "clears a blocker: the project may not pass its gate until it is done",
    "condition_next_gate": "meets a condition of the gate this verdict is for",
    "condition_later_gate": "must be met before a later gate, named in the action",
    "improvement": "strengthens a weak answer; not required at this tier",
}
THEME_TITLES: dict[str, str] = {
    "legal_basis": "Legal basis",
    "dpia": "Data protection impact assessment",
    "equality_bias": "Equality and bias",
    "human_oversight": "Human oversight",
    "validation": "Validation and evidence",
    "transparency": "Transparency and engagement",
    "monitoring": "Monitoring",
    "contracts_supplier": "Contracts and supplier",
    "training": "Training",
    "governance": "Governance",
    "data_management": "Data management",
}


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class DimensionResult(_Out):
    id: str
    title: str
    score: float
    max_score: float
    rating: Rating
    asked: int
    answered: int
    percent: float | None = None
    """Score as a share of the maximum, 0-100 (null when nothing was scored)."""
    score_0_5: int | None = None
    minimum_0_5: int | None = None
    """The lowest 0-5 score the impact tier accepts (assurance dimensions only)."""


class Flag(_Out):
    question_id: str
    message: str
    dimension: str = ""
    source: FlagSource = "rule"
    gate: str = ""
    """The gate by which it must be met (empty: the gate this verdict is for)."""
    action_ids: list[str] = Field(default_factory=list)
    """The action-plan entries that answer it (for a dimension short of its minimum: those that would close it)."""


class Action(_Out):
    """One entry of the action plan: one underlying gap, merged across the questions that express it."""

    question_id: str
    action: str
    priority: Priority
    dimension: str = ""
    owner: str = ""
    id: str = ""
    """Stable across runs and re-assessments: the same gap keeps the same id."""
    theme: str = ""
    due: str = ""
    """An ISO date (``2027-01-31``), or empty when none was given or the words given are not a date."""
    due_written: str = ""
    """The due date as the plan answer wrote it ("end of January 2027"), when not the ISO date itself;
    with ``due`` empty, words that are not a date ("next spring"), kept as typed."""
    status: ActionStatus = "open"
    gate: str = ""
    """The gate by which it must be done (empty for improvements)."""
    question_ids: list[str] = Field(default_factory=list)
    details: list[str] = Field(default_factory=list)
    """The distinct blockers, conditions and notes the entry answers."""
    appendix: bool = False
    """Beyond the head of the plan (the first ``action_plan.head`` entries)."""


class Inconsistency(_Out):
    """Two answers that cannot both be right."""

    id: str
    question_ids: list[str]
    message: str
    theme: str = "governance"


class Gap(_Out):
    question_id: str
    reason: GapReason
    dimension: str = ""
    text: str = ""


class Why(_Out):
    question_id: str
    text: str
    answer: str


class AnswerDetail(_Out):
    question_id: str
    dimension: str
    text: str
    kind: str
    status: Literal["answered", "dont_know", "skipped", "unanswered"]
    answer: AnswerValue | None
    answer_label: str
    points: float | None
    max_points: float | None
    note: str = ""
    why: list[Why] = Field(default_factory=list)
    by: dict[str, str] = Field(default_factory=dict)
    asked_as: str = ""
    """The wording actually shown, when a variant replaced ``text`` (empty otherwise)."""
    flags: list[AnswerFlag] = Field(default_factory=list)
    """What this answer raised: a blocker or condition rule, a weak answer that brings an
    action, or an evidence gap (don't know, skipped, unanswered)."""
    references: list[str] = Field(default_factory=list)
    """The public sources the bank cites for this question."""


class SetAside(_Out):
    question_id: str
    dimension: str
    text: str
    answer_label: str


class Orphan(_Out):
    """An answer kept in the session that the bank in use cannot take (a newer bank removed or changed it)."""

    question_id: str
    answer: AnswerValue
    status: Literal["answered", "dont_know", "skipped"]
    reason: str


class BankInfo(_Out):
    id: str
    version: str
    title: str
    provenance: str
    made_with: str = ""
    """The bank (id and version) the session was begun with, when it differs from this one."""


class ProjectInfo(_Out):
    name: str = ""
    organisation: str = ""
    assessor: str = ""
    role: str = ""
    """The assessor's role."""
    sro: str = ""
    """The senior responsible owner."""
    contact: str = ""
    date: str = ""
    participants: list[str] = Field(default_factory=list)
    """Group mode: who answered together."""
    started: str = ""
    """The date the assessment began (``date`` is the date of the last change)."""


class Summary(_Out):
    schema_version: int = 1
    verdict: Verdict
    impact_tier: int
    dimensions: list[DimensionResult]
    blockers: list[Flag]
    conditions: list[Flag]
    actions: list[Action]
    evidence_gaps: list[Gap]
    asked: list[str]
    # Extensions beyond SPEC 3.5.
    gate: str = ""
    """The gate the verdict is for: build, pilot, go_live or continued_use."""
    gate_label: str = ""
    stage: str = ""
    mitigated_tier: int | None = None
    """The tier after Canada-style mitigation, where it is credited (it decides nothing; see docs/scoring.md)."""
    inconsistencies: list[Inconsistency] = Field(default_factory=list)
    verdict_label: str = ""
    verdict_reasons: list[str] = Field(default_factory=list)
    impact_tier_label: str = ""
    tier_reasons: list[str] = Field(default_factory=list)
    tier_demands: list[str] = Field(default_factory=list)
    finished: bool = False
    bank: BankInfo | None = None
    project: ProjectInfo = Field(default_factory=ProjectInfo)
    answers: list[AnswerDetail] = Field(default_factory=list)
    set_aside: list[SetAside] = Field(default_factory=list)
    orphans: list[Orphan] = Field(default_factory=list)
    """Answers kept from an earlier version of the bank, out of scoring (see :attr:`Assessment.orphans`)."""
    provisional: bool = False
    """True when answers no longer fit the bank (orphans): the verdict is not final until they are re-answered."""

    def dimension(self, dim_id: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.id == dim_id)
