"""A demo scenario as a list of steps, for ``ceder walkthrough`` (the screen only shows them).

The scenario is played through a fresh, in-memory :class:`~flows.engine.Assessment`
(nothing is written to disk) exactly as a person would answer it in the app: one
question at a time, in the order the engine asks, with each dimension's review in
between. Before each answer the step records the question as asked (variant wording)
and why a follow-up appears; after it, the points earned, the follow-ups it brings,
the blockers and conditions it raises or clears, and the running scores. Going back
in the walkthrough is then only moving an index.

Every text a step keeps (from the bank or the scenario file) is cleaned of terminal
escapes and control characters. Headless: never imports Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from assistant.reports.text import clean
from flows.answers_file import AnswersFile, AnswersFileError, read_answers
from flows.engine import Assessment, FlowError, Progress
from flows.scoring import points_for
from flows.summary import VERDICT_LABELS, Summary, Why
from flows.verdict import answer_label
from question_banks.conditions import DONT_KNOW, SKIP, describe
from question_banks.schema import Bank, Question

StepKind = Literal["title", "question", "review", "summary"]


class ScenarioError(Exception):
    """The scenario cannot be found or played; the message is one line for the user."""


@dataclass(frozen=True)
class Raised:
    """A blocker or condition, as it stands after a step."""

    level: Literal["blocker", "condition"]
    question_id: str
    message: str


@dataclass(frozen=True)
class FollowUp:
    question_id: str
    text: str


@dataclass
class Step:
    """One screen of the walkthrough."""

    kind: StepKind
    dimension: str = ""
    dimension_title: str = ""
    question: Question | None = None
    text: str = ""
    """The question as asked (the variant wording that fits the earlier answers)."""
    number: int = 0
    """Which question this is (1-based), counting only question steps."""
    in_dimension: tuple[int, int] = (0, 0)
    """This question's place among the questions the scenario is asked in its dimension."""
    answer: str = ""
    status: str = "answered"
    """``answered``, ``dont_know``, ``skipped``, or ``open`` (the scenario gives no answer)."""
    chosen: list[str] = field(default_factory=list)
    """The option ids the scenario picked (choice questions)."""
    note: str = ""
    why: list[Why] = field(default_factory=list)
    """For a follow-up: the earlier answers that brought it."""
    condition: str = ""
    """For a follow-up: its condition, compactly (``C1 = people``)."""
    points: float | None = None
    max_points: float | None = None
    brings: list[FollowUp] = field(default_factory=list)
    """Follow-ups this answer makes relevant."""
    raised: list[Raised] = field(default_factory=list)
    cleared: list[Raised] = field(default_factory=list)
    scores: list[Progress] = field(default_factory=list)
    tier: int | None = None
    """The provisional impact tier, once any complexity question is answered."""
    summary: Summary | None = None
    """The provisional summary after this step (the final one on the summary step)."""
    facilitator: str = ""


@dataclass
class Walkthrough:
    """A scenario and the steps that show it, from the title card to the summary."""

    path: Path
    scenario_id: str
    title: str
    narrative: str
    expected_verdict: str | None
    project: str
    assessor: str
    bank: Bank
    steps: list[Step]
    assessment: Assessment
    """The played assessment, finished (in memory only)."""

    @property
    def summary(self) -> Summary:
        last = self.steps[-1].summary
        assert last is not None
        return last

    @property
    def questions(self) -> int:
        return sum(1 for s in self.steps if s.kind == "question")

    @property
    def expected_label(self) -> str:
        return VERDICT_LABELS.get(self.expected_verdict or "", self.expected_verdict or "")

    @property
    def matches_expectation(self) -> bool | None:
        return None if not self.expected_verdict else self.summary.verdict == self.expected_verdict


# -- finding the scenario ----------------------------------------------------------------
def scenario_folder(bank_dir: str | None) -> Path:
    """The scenarios that go with the bank: ``DIR/scenarios`` with ``--bank DIR``, else the shipped ones."""
    if bank_dir:
        return Path(bank_dir) / "scenarios"
    from importlib import resources

    return Path(str(resources.files("question_banks") / "scenarios"))


def find_scenario(name: str, bank_dir: str | None = None) -> Path:
    """``name`` as a path to a scenario file, or a scenario id in the bank's scenarios folder."""
    as_path = Path(name).expanduser()
    if as_path.is_file():
        return as_path
    folder = scenario_folder(bank_dir)
    files = sorted(folder.glob("*.y*ml")) if folder.is_dir() else []
    for path in files:
        if path.stem == name:
            return path
    for path in files:
        try:
            if str(read_answers(path).meta.get("id", "")) == name:
                return path
        except AnswersFileError:
            continue
    if as_path.suffix in (".yaml", ".yml", ".json") or "/" in name:
        raise ScenarioError(f"{name}: no such file")
    known = ", ".join(p.stem for p in files) or f"none in {folder}"
    raise ScenarioError(f"no scenario {name!r} (scenarios: {known}; or give a path to a scenario file)")


# -- playing it ------------------------------------------------------------------------
def _flags(summary: Summary) -> list[Raised]:
    """The blockers and conditions that answers raise (a dimension below its tier minimum is left to the reviews)."""
    return [Raised("blocker", f.question_id, clean(f.message)) for f in summary.blockers] + [
        Raised("condition", f.question_id, clean(f.message)) for f in summary.conditions if f.source != "tier_minimum"
    ]


def _tier(a: Assessment, rows: list[Progress], summary: Summary) -> int | None:
    return summary.impact_tier if any(r.rating for r in rows if r.dimension == "complexity") else None


def _chosen(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def build_walkthrough(bank: Bank, path: Path) -> Walkthrough:
    """Play the scenario at ``path`` through a fresh in-memory assessment, one step per screen."""
    try:
        scenario = read_answers(path)
    except AnswersFileError as exc:
        raise ScenarioError(str(exc)) from None
    unknown = [qid for qid in scenario.answers if qid not in bank.by_id]
    if unknown:
        line = scenario.lines.get(unknown[0], 1)
        raise ScenarioError(f"{path}:{line}: unknown question id {unknown[0]!r} (not in bank {bank.id})")
    a = Assessment(bank)  # no path: nothing is saved
    a.set_project(scenario.project.name, scenario.project.assessor)
    meta = scenario.meta
    steps: list[Step] = [Step("title")]
    a.start()
    flags = _flags(a.summary(final=False))
    number = 0
    while not a.finished:
        if a.in_review:
            dim = a.review_dimension or ""
            provisional = a.summary(final=False)
            rows = a.progress()
            steps.append(
                Step(
                    "review",
                    dimension=dim,
                    dimension_title=bank.title_of(dim),
                    scores=rows,
                    tier=_tier(a, rows, provisional),
                    summary=provisional,
                )
            )
            a.proceed()
            continue
        q = a.current
        if q is None:  # pragma: no cover - the engine always shows a question in a phase
            a.settle()
            continue
        number += 1
        steps.append(_question_step(a, scenario, q, number, flags))
        flags = _flags(steps[-1].summary or a.summary(final=False))
    for qid, text in scenario.notes.items():
        a.session.notes[qid] = text
    for qid, owner in scenario.owners.items():
        a.session.owners[qid] = owner
    final = a.summary(final=True)
    rows = a.progress()
    steps.append(Step("summary", scores=rows, tier=final.impact_tier, summary=final))
    _place_in_dimensions(steps)
    return Walkthrough(
        path=path,
        scenario_id=str(meta.get("id", path.stem)),
        title=" ".join(clean(str(meta.get("title", path.stem))).split()),
        narrative=clean(str(meta.get("narrative", ""))).strip(),
        expected_verdict=str(meta["expected_verdict"]) if meta.get("expected_verdict") else None,
        project=clean(scenario.project.name),
        assessor=clean(scenario.project.assessor),
        bank=bank,
        steps=steps,
        assessment=a,
    )


def _question_step(a: Assessment, scenario: AnswersFile, q: Question, number: int, before: list[Raised]) -> Step:
    dim = a.phase_of(q.id)
    step = Step(
        "question",
        dimension=dim,
        dimension_title=a.bank.title_of(dim),
        question=q,
        text=clean(a.text_of(q)),
        number=number,
        note=clean(scenario.notes.get(q.id, "")),
        why=[w.model_copy(update={"text": clean(w.text), "answer": clean(w.answer)}) for w in a.why(q.id)]
        if q.is_follow_up
        else [],
        condition=describe(q.ask_if) if q.ask_if is not None else "",
        facilitator=clean(q.facilitator or "").strip(),
    )
    value = scenario.answers.get(q.id)
    try:
        if value is None:
            step.status = "open"
            result = a.skip()
        elif value == DONT_KNOW:
            result = a.dont_know()
        elif value == SKIP:
            result = a.skip()
        else:
            result = a.answer(value)
    except FlowError as exc:
        raise ScenarioError(f"{scenario.path}:{scenario.lines.get(q.id, 1)}: {exc}") from None
    record = a.record_of(q.id)
    assert record is not None
    if step.status != "open":
        step.status = record.status
    step.answer = clean(answer_label(q, record)) if step.status != "open" else "(the scenario gives no answer)"
    if record.status == "answered" and q.options:
        step.chosen = _chosen(record.value)
    if q.scored:
        step.points = points_for(q, record, dim)
        step.max_points = q.max_points
    change = result.change
    if change is not None:
        step.brings = [FollowUp(qid, clean(a.text_of(a.bank.by_id[qid]))) for qid in change.newly_relevant]
    provisional = a.summary(final=False)
    after = _flags(provisional)
    step.raised = [f for f in after if f not in before]
    step.cleared = [f for f in before if f not in after]
    step.scores = a.progress()
    step.tier = _tier(a, step.scores, provisional)
    step.summary = provisional
    return step


def _place_in_dimensions(steps: list[Step]) -> None:
    totals: dict[str, int] = {}
    for s in steps:
        if s.kind == "question":
            totals[s.dimension] = totals.get(s.dimension, 0) + 1
    seen: dict[str, int] = {}
    for s in steps:
        if s.kind == "question":
            seen[s.dimension] = seen.get(s.dimension, 0) + 1
            s.in_dimension = (seen[s.dimension], totals[s.dimension])


def load_walkthrough(name: str, bank_dir: str | None = None) -> Walkthrough:
    """Find the scenario (an id or a path), load the bank, and play it; :class:`ScenarioError` on any problem."""
    from question_banks import BankError, load_bank

    path = find_scenario(name, bank_dir)
    try:
        bank = load_bank(Path(bank_dir) if bank_dir else None)
    except BankError as exc:
        raise ScenarioError(str(exc.problems[0])) from None
    return build_walkthrough(bank, path)


__all__ = [
    "FollowUp",
    "Raised",
    "ScenarioError",
    "Step",
    "Walkthrough",
    "build_walkthrough",
    "find_scenario",
    "load_walkthrough",
    "scenario_folder",
]
