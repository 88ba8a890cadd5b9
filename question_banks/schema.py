"""The bank schema: a manifest (``bank.yaml``) plus one section file per dimension."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Literal, NamedTuple, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from question_banks.conditions import Condition, Facts

if TYPE_CHECKING:
    from question_banks.documents import DocumentMap

DIMENSIONS: tuple[str, ...] = ("complexity", "ethics", "data", "efficacy", "readiness")
PHASES: tuple[str, ...] = ("profile", *DIMENSIONS)
DIMENSION_TITLES: dict[str, str] = {
    "profile": "Project profile",
    "complexity": "Complexity and Operational effect",
    "ethics": "Ethics",
    "data": "Data",
    "efficacy": "Efficacy",
    "readiness": "Readiness",
}
Kind = Literal["single", "multi", "scale", "number", "text"]
CHOICE_KINDS: frozenset[str] = frozenset({"single", "multi", "scale"})
ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$"
OPTION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
RESERVED_IDS = frozenset({"dont_know", "skip"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Option(_Strict):
    id: str = Field(pattern=OPTION_ID_PATTERN)
    label: str = Field(min_length=1)
    score: float | None = None
    synonyms: list[str] = Field(default_factory=list)
    exclusive: bool = False
    """Chosen alone in a multi-select (e.g. "none of these")."""

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, v: str) -> str:
        if v in RESERVED_IDS:
            raise ValueError(f"option id {v!r} is reserved")
        return v


GATES: tuple[str, ...] = ("build", "pilot", "go_live")
"""The gates a requirement can be due by, in order: the start of build, the first use on real
cases (pilot, or go-live without a pilot) and go-live after a pilot. See flows/gates.py."""
Gate = Literal["build", "pilot", "go_live"]


class Rule(_Strict):
    """A blocker, condition or recommendation raised by the answers, optionally only at some tiers.

    ``gate`` is the gate by which the requirement must be met: a blocker whose gate the project has
    not reached yet is reported as a condition for that gate. Without a gate, the requirement is due
    by the pilot gate (before the tool affects real cases).
    """

    level: Literal["blocker", "condition", "recommendation"]
    when: Condition
    message: str = Field(min_length=1)
    tiers: list[int] | None = None
    gate: Gate | None = None

    @field_validator("tiers")
    @classmethod
    def _tier_range(cls, v: list[int] | None) -> list[int] | None:
        if v is not None:
            if not v:
                raise ValueError("tiers must list at least one tier (or be omitted)")
            bad = [t for t in v if t not in (1, 2, 3, 4)]
            if bad:
                raise ValueError(f"tiers must be 1-4, got {bad}")
        return v

    def applies_at(self, tier: int) -> bool:
        return self.tiers is None or tier in self.tiers


class Variant(_Strict):
    """Alternative wording used when ``when`` holds (live tools vs designs; UK GDPR vs Part 3).

    Each field it sets replaces the question's own; fields it leaves out fall through to
    the next matching variant, then to the question. So a tense variant (``text``) and a
    regime variant (``help``, ``references``, ``action``) combine without repeating each other.
    """

    when: Condition
    text: str | None = Field(default=None, min_length=1)
    help: str | None = None
    references: list[str] | None = None
    action: str | None = None

    @model_validator(mode="after")
    def _sets_something(self) -> Variant:
        if self.text is None and self.help is None and self.references is None and self.action is None:
            raise ValueError("a variant must set text, help, references or action")
        return self


class Prefill(_Strict):
    """An option to offer pre-ticked because earlier answers already imply it (the user confirms)."""

    when: Condition
    option: str = Field(pattern=OPTION_ID_PATTERN)


class Wording(NamedTuple):
    """What a question says once its variants are applied to the answers so far."""

    text: str
    help: str
    references: list[str]
    action: str | None


class Question(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1)
    kind: Kind
    options: list[Option] = Field(default_factory=list)
    help: str = ""
    references: list[str] = Field(default_factory=list)
    ask_if: Condition | None = None
    variants: list[Variant] = Field(default_factory=list)
    action: str | None = None
    action_below: float | None = None
    """Points below this make the answer weak; default: half the question's maximum."""
    rules: list[Rule] = Field(default_factory=list)
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    facilitator: str | None = None
    """A note for trainers, shown only in walkthrough and facilitator modes."""
    prefill: list[Prefill] = Field(default_factory=list)
    """Options earlier answers imply, offered pre-ticked for the user to confirm (never recorded unasked)."""

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, v: str) -> str:
        if v in RESERVED_IDS:
            raise ValueError(f"question id {v!r} is reserved")
        return v

    @property
    def is_follow_up(self) -> bool:
        return self.ask_if is not None

    @property
    def scored(self) -> bool:
        return self.kind in CHOICE_KINDS and any(o.score is not None for o in self.options)

    @cached_property
    def max_points(self) -> float:
        """The most this question can earn (multi-select: every positive option)."""
        scores = [o.score for o in self.options if o.score is not None]
        if not scores:
            return 0.0
        if self.kind == "multi":
            return float(sum(s for s in scores if s > 0))
        return float(max(scores))

    def worded(self, facts: Facts) -> Wording:
        """Text, help, references and action, each from the first matching variant that sets it."""
        said: dict[str, object] = {}
        for v in self.variants:
            if len(said) < len(Wording._fields) and v.when.evaluate(facts):
                for name in Wording._fields:
                    value = getattr(v, name)
                    if value is not None:
                        said.setdefault(name, value)
        return Wording(
            text=str(said.get("text", self.text)),
            help=str(said.get("help", self.help)),
            references=list(cast(list[str], said.get("references", self.references))),
            action=cast(str | None, said.get("action", self.action)),
        )

    def suggested(self, facts: Facts) -> list[str]:
        """The options ``prefill`` implies from the answers so far, in the question's option order."""
        implied = {p.option for p in self.prefill if p.when.evaluate(facts)}
        return [o.id for o in self.options if o.id in implied]

    def option_for_old_id(self, value: str) -> Option | None:
        """The one option that lists ``value`` (a retired option id) among its synonyms, if any."""
        found = [o for o in self.options if value in o.synonyms]
        return found[0] if len(found) == 1 else None

    @cached_property
    def option_index(self) -> dict[str, Option]:
        return {o.id: o for o in self.options}

    @property
    def weak_below(self) -> float:
        return self.action_below if self.action_below is not None else self.max_points / 2


class Section(_Strict):
    """One YAML file of questions, all in one dimension (or the profile)."""

    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    dimension: Literal["profile", "complexity", "ethics", "data", "efficacy", "readiness"]
    provenance: str = Field(min_length=1)
    intro: str = ""
    questions: list[Question] = Field(default_factory=list)


class TierFloor(_Strict):
    """A minimum impact tier that applies whatever the complexity points say."""

    when: Condition
    tier: int = Field(ge=1, le=4)
    reason: str = Field(min_length=1)


class Duty(_Strict):
    """A duty the bank derives from earlier answers, which a later self-report cannot switch off.

    When ``when`` holds, ``question`` must be answered with one of ``met_by``; any other answer, a
    gap, or the question not being asked at all leaves the duty unmet and raises ``level`` at ``gate``.
    """

    id: str = Field(pattern=ID_PATTERN)
    when: Condition
    question: str
    met_by: list[str] = Field(min_length=1)
    level: Literal["blocker", "condition"] = "blocker"
    gate: Gate | None = None
    message: str = Field(min_length=1)


class CrossCheck(_Strict):
    """Two answers that cannot both be right; the engine asks which is."""

    id: str = Field(pattern=ID_PATTERN)
    earlier: str
    later: str
    when: Condition
    note: str = ""
    """Why it matters, added after the question "which is right?"."""
    theme: str = "governance"


class ActionPlan(_Strict):
    """How raised flags and weak answers become a short action plan (see flows/plan.py)."""

    head: int = Field(default=12, ge=1)
    """Entries shown before the appendix."""
    themes: dict[str, list[str]] = Field(default_factory=dict)
    """Theme id to the questions whose gaps belong to it (others take their dimension's default)."""
    gaps: list[list[str]] = Field(default_factory=list)
    """Groups of questions that express one underlying gap: one plan entry each."""


class Scoring(_Strict):
    amber_from: float = Field(default=0.4, ge=0, le=1)
    """Share of the maximum from which an assurance dimension is amber (below: red)."""
    green_from: float = Field(default=0.7, ge=0, le=1)
    tier_thresholds: tuple[float, float, float] = (0.25, 0.5, 0.75)
    """Complexity share above which the tier is II, III and IV."""
    tier_floors: list[TierFloor] = Field(default_factory=list)
    tier_minimums: dict[int, dict[str, int]] = Field(default_factory=dict)
    """Per tier, the minimum 0-5 score per dimension (key ``default`` for the rest)."""
    mitigation_share: float | None = Field(default=None, ge=0, le=1)
    """Assurance share (ethics+data+efficacy+readiness) from which mitigation is credited."""
    mitigation_deduction: float = Field(default=0.15, ge=0, le=1)
    """Share of the raw impact points deducted when mitigation is credited (Canada's AIA: 15%)."""
    critical_controls: list[str] = Field(default_factory=list)
    """Questions whose control must be in place before any mitigation is credited."""
    stage_question: str | None = None
    """The profile question that gives the project's stage (see flows/gates.py)."""
    stages: dict[str, str] = Field(default_factory=dict)
    """Option id of the stage question to stage id (idea, design, approval, pilot, live, major_change)."""
    duties: list[Duty] = Field(default_factory=list)
    cross_checks: list[CrossCheck] = Field(default_factory=list)
    action_plan: ActionPlan = Field(default_factory=ActionPlan)
    tier_demands: dict[int, list[str]] = Field(default_factory=dict)
    """What each tier demands, in words, for the report."""

    def minimum(self, tier: int, dimension: str) -> int | None:
        table = self.tier_minimums.get(tier)
        if not table:
            return None
        return table.get(dimension, table.get("default"))


class Manifest(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    provenance: str = Field(min_length=1)
    scoring: Scoring = Field(default_factory=Scoring)


class Bank:
    """A validated bank: the manifest and every question in asking order."""

    def __init__(self, manifest: Manifest, sections: list[Section], documents: DocumentMap | None = None) -> None:
        self.manifest = manifest
        self._documents = documents
        self._documents_pickled: bytes | None = None
        order = {p: i for i, p in enumerate(PHASES)}
        self.sections = sorted(sections, key=lambda s: order[s.dimension])
        self.questions: list[Question] = []
        self.dimension_of: dict[str, str] = {}
        for section in self.sections:
            for q in section.questions:
                self.questions.append(q)
                self.dimension_of[q.id] = section.dimension
        self.by_id: dict[str, Question] = {q.id: q for q in self.questions}
        self.position: dict[str, int] = {q.id: i for i, q in enumerate(self.questions)}

    @property
    def documents(self) -> DocumentMap | None:
        """Which answers fill which fields of the ATRS and DPIA drafts (the bank's ``documents.yaml``)."""
        if self._documents_pickled is not None:
            import pickle

            self._documents = pickle.loads(self._documents_pickled)
            self._documents_pickled = None
        return self._documents

    def __getstate__(self) -> dict[str, object]:
        """The bank as pickled (by the bank cache), with its documents mapping pickled apart.

        Only the ATRS and DPIA drafts read the mapping: a bank unpickled from the cache
        unpickles it on first use, so every other command skips its twenty models (and
        the module that defines them, about 7 ms of a command's start-up).
        """
        import pickle

        state = dict(self.__dict__)
        if self._documents is not None:
            state["_documents_pickled"] = pickle.dumps(self._documents, protocol=pickle.HIGHEST_PROTOCOL)
            state["_documents"] = None
        return state

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def title(self) -> str:
        return self.manifest.title

    @property
    def scoring(self) -> Scoring:
        return self.manifest.scoring

    def phases(self) -> list[str]:
        """The phases that have questions, in order."""
        seen = {s.dimension for s in self.sections if s.questions}
        return [p for p in PHASES if p in seen]

    def section_for(self, dimension: str) -> Section | None:
        for s in self.sections:
            if s.dimension == dimension:
                return s
        return None

    def title_of(self, dimension: str) -> str:
        section = self.section_for(dimension)
        return section.title if section else DIMENSION_TITLES[dimension]

    def in_dimension(self, dimension: str) -> list[Question]:
        return [q for q in self.questions if self.dimension_of[q.id] == dimension]
