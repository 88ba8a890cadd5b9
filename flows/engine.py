"""The assessment engine: one session, its bank, its phase machine and its scores.

Typical use::

    a = Assessment(bank, path=Path("s.json"))   # new or resumed
    a.start()
    while not a.finished:
        if a.in_review:
            a.proceed()
        else:
            a.answer(...)                          # or skip(), dont_know(), back()
    summary = a.summary()

Every mutating call validates first, records the answer in the session, updates
relevance and scores incrementally, moves the phase machine, and saves the
session (atomically) before returning, so nothing a caller shows next can be
ahead of what is on disk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from transitions import MachineError

from flows import drift, tracking
from flows.checks import inconsistencies as cross_checks
from flows.machine import SUMMARY, WELCOME, PhaseModel, build_machine, review
from flows.persistence import save_session
from flows.scoring import Change, Tracker, recompute
from flows.session import AnswerRecord, BankRef, Project, Session, Status, now
from flows.summary import Inconsistency, Orphan, Rating, Summary, Why
from flows.verdict import build_summary, provisional_tier, rating_for, score_0_5, tier_rating
from flows.verdict import why as why_for
from question_banks.conditions import DONT_KNOW, SKIP, AnswerValue
from question_banks.schema import CHOICE_KINDS, DIMENSIONS, Bank, Question, Wording

if TYPE_CHECKING:
    from flows.group import Spread


class FlowError(Exception):
    """A request the assessment cannot take (bad answer, illegal move); the message is for the user."""


@dataclass(frozen=True)
class Progress:
    dimension: str
    title: str
    asked: int
    answered: int
    remaining: int
    rating: Rating | None
    """Provisional rating over the questions answered so far (None before any)."""
    score_0_5: int | None


@dataclass
class StepResult:
    """What one step did, for the user interface to say."""

    question_id: str | None
    change: Change | None = None
    left_phase: str | None = None
    """The dimension just completed, when the step moved into its review."""
    inconsistencies: list[Inconsistency] = field(default_factory=list)
    """Cross-checks this answer now fails: an earlier answer says otherwise (ask which is right)."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def unicode_text(text: str) -> str:
    """``text`` as valid Unicode: lone surrogates (undecodable bytes read from a terminal) become U+FFFD.

    Every text the user types passes through here, so a session can always be written as UTF-8.
    """
    return _SURROGATE.sub("\ufffd", text)


def _shown(value: object, limit: int = 60) -> str:
    """A value quoted for an error message, cut short (a 1 MB paste need not come back in full)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate_value(question: Question, value: AnswerValue) -> AnswerValue:
    """Check and normalise an answer value for ``question``; raise :class:`FlowError` if it does not fit."""
    if question.kind in ("single", "scale"):
        if isinstance(value, list) or str(value) not in question.option_index:
            valid = ", ".join(question.option_index)
            raise FlowError(f"{question.id}: {_shown(value)} is not an option (choose one of: {valid})")
        return str(value)
    if question.kind == "multi":
        chosen = value if isinstance(value, list) else [value]
        out: list[str] = []
        for v in chosen:
            if str(v) not in question.option_index:
                raise FlowError(
                    f"{question.id}: {_shown(v)} is not an option (choose from: {', '.join(question.option_index)})"
                )
            if str(v) not in out:
                out.append(str(v))
        exclusive = [v for v in out if question.option_index[v].exclusive]
        if exclusive and len(out) > 1:
            label = question.option_index[exclusive[0]].label
            raise FlowError(f"{question.id}: {label!r} cannot be combined with other options")
        order = list(question.option_index)
        return sorted(out, key=order.index)
    if question.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            try:
                value = float(str(value).strip().replace(",", ""))
            except ValueError:
                raise FlowError(f"{question.id}: {_shown(value)} is not a number") from None
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise FlowError(f"{question.id}: {_shown(value)} is not a finite number")
        if question.min is not None and number < question.min:
            raise FlowError(f"{question.id}: {number:g} is below the minimum of {question.min:g}")
        if question.max is not None and number > question.max:
            raise FlowError(f"{question.id}: {number:g} is above the maximum of {question.max:g}")
        return number
    if isinstance(value, list) or not str(value).strip():
        raise FlowError(f"{question.id}: please type an answer (or skip)")
    return unicode_text(str(value))


class Assessment:
    """One assessment against one bank; see the module docstring."""

    def __init__(self, bank: Bank, session: Session | None = None, path: Path | None = None) -> None:
        self.bank = bank
        self.path = path
        self.session = session or Session(bank=BankRef(id=bank.id, version=bank.version))
        self.orphans: dict[str, AnswerRecord] = {
            qid: rec for qid, rec in self.session.answers.items() if qid not in bank.by_id
        }
        """Answers to questions this bank no longer has (kept in the file, out of scoring)."""
        self._answers: dict[str, AnswerRecord] = {
            qid: rec for qid, rec in self.session.answers.items() if qid in bank.by_id
        }
        self._repair_stale_options()
        self._saved_answers: dict[str, AnswerRecord] | None = None
        """``session.answers`` as last rebuilt by :meth:`_sync_answers`, which then keeps it up to date."""
        self._asked: set[str] = set(self.session.history)
        self._asked_list, self._asked_len = self.session.history, len(self.session.history)
        self.tracker = Tracker(bank, self._answers)
        self._phases = bank.phases()
        self._model = PhaseModel()
        state = self.session.state
        if state not in _states(self._phases):
            state = WELCOME if not self.session.history else SUMMARY
        self.machine = build_machine(self._model, self._phases, state)
        self._undo: list[tuple[str, AnswerRecord | None]] = []
        if self.session.current is not None and self.session.current not in bank.by_id:
            self.session.current = None
        if self.state in self._phases and self.session.current is None:
            self._place_cursor()

    # -- state ------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._model.state

    @property
    def finished(self) -> bool:
        return self.state == SUMMARY

    @property
    def in_review(self) -> bool:
        return self.state.endswith("_review")

    @property
    def review_dimension(self) -> str | None:
        return self.state.removesuffix("_review") if self.in_review else None

    @property
    def current(self) -> Question | None:
        qid = self.session.current
        return self.bank.by_id[qid] if qid is not None and self.state in self._phases else None

    @property
    def answers(self) -> dict[str, AnswerRecord]:
        return self._answers

    def record_of(self, question_id: str) -> AnswerRecord | None:
        return self._answers.get(question_id)

    def is_relevant(self, question_id: str) -> bool:
        return self.tracker.is_relevant(question_id)

    def text_of(self, question: Question) -> str:
        """The question's wording, picking the variant that fits earlier answers."""
        return question.worded(self.tracker.facts).text

    def suggestion(self, question: Question) -> list[str] | None:
        """Options earlier answers already imply, to offer pre-ticked when the question has no answer yet."""
        if question.id in self._answers:
            return None
        return question.suggested(self.tracker.facts) or None

    def wording_of(self, question: Question) -> Wording:
        """Text, help, references and action as they apply to this project (tense, legal regime)."""
        return question.worded(self.tracker.facts)

    def phase_of(self, question_id: str) -> str:
        return self.bank.dimension_of[question_id]

    # -- moves ------------------------------------------------------------
    def start(self) -> StepResult:
        """Leave the welcome and show the first open question (no-op once started)."""
        if self.state != WELCOME:
            return StepResult(self.session.current)
        nxt = self.tracker.first_pending()
        if nxt is None:
            self._fire("proceed", SUMMARY)
        else:
            self._fire("start", self.phase_of(nxt.id))
            self._show(nxt)
        return self._commit(StepResult(self.session.current))

    def answer(self, value: AnswerValue, by: Mapping[str, AnswerValue] | None = None) -> StepResult:
        """Answer the current question.

        ``by`` (group mode) maps each participant to their own answer behind the one
        the group settles on; each is validated like ``value`` (or is ``dont_know``/``skip``).
        """
        return self._respond("answer", value, "answered", by)

    def skip(self, by: Mapping[str, AnswerValue] | None = None) -> StepResult:
        return self._respond("skip", SKIP, "skipped", by)

    def dont_know(self, by: Mapping[str, AnswerValue] | None = None) -> StepResult:
        return self._respond("dont_know", DONT_KNOW, "dont_know", by)

    def _respond(
        self, trigger: str, value: AnswerValue, status: Status, by: Mapping[str, AnswerValue] | None = None
    ) -> StepResult:
        q = self.current
        if q is None:
            raise FlowError("There is no question to answer right now.")
        if status == "answered":
            value = validate_value(q, value)
        spread = self._group_answers(q, by)
        was_answered = q.id in self._answers
        change = self._record(q.id, AnswerRecord(value=value, status=status, by=spread))
        phase = self.phase_of(q.id)
        found = cross_checks(self.bank, self.tracker, about=q.id)
        # Carry on within this phase when it still has open questions after this one
        # (after a jump, earlier phases may be open too); otherwise take the first open one.
        after = self.tracker.first_pending(after=self.bank.position[q.id])
        nxt = after if after is not None and self.phase_of(after.id) == phase else self.tracker.first_pending()
        result = StepResult(q.id, change, inconsistencies=found)
        if nxt is not None and self.phase_of(nxt.id) == phase:
            self._fire(trigger, phase)
            self._show(nxt)
        elif was_answered or phase not in DIMENSIONS:
            # A revision returns straight to the open question (or the summary);
            # the profile has no review of its own.
            if nxt is None:
                self._fire(trigger, SUMMARY if was_answered else review(phase) if phase in DIMENSIONS else SUMMARY)
                self.session.current = None
            else:
                self._fire(trigger, self.phase_of(nxt.id))
                self._show(nxt)
        else:
            self.session.current = None
            result.left_phase = phase
            self._fire(trigger, review(phase))
        return self._commit(result)

    def proceed(self) -> StepResult:
        """Leave a dimension's review for the next open question, or the summary."""
        nxt = self.tracker.first_pending()
        if nxt is None:
            self._fire("proceed", SUMMARY)
            self.session.current = None
        else:
            self._fire("proceed", self.phase_of(nxt.id))
            self._show(nxt)
        return self._commit(StepResult(self.session.current))

    def back(self) -> StepResult:
        """Go to the previous question asked (still relevant), to revise it."""
        asked = [qid for qid in self.session.history if self.tracker.is_relevant(qid)]
        cur = self.session.current if self.state in self._phases else None
        if cur is not None and cur in asked:
            idx = asked.index(cur)
            if idx == 0:
                raise FlowError("This is the first question; there is nothing to go back to.")
            target = asked[idx - 1]
        elif asked:
            target = asked[-1]
            if target == cur:
                raise FlowError("There is nothing to go back to.")
        else:
            raise FlowError("Nothing has been answered yet.")
        self._fire("back", self.phase_of(target))
        self._show(self.bank.by_id[target])
        return self._commit(StepResult(target))

    def revise(self, question_id: str) -> StepResult:
        """Reopen a specific relevant question (from the summary or anywhere)."""
        if question_id not in self.bank.by_id:
            raise FlowError(f"Unknown question {question_id!r}.")
        if not self.tracker.is_relevant(question_id):
            raise FlowError(f"Question {question_id} does not apply given the current answers.")
        self._fire("jump", self.phase_of(question_id))
        self._show(self.bank.by_id[question_id])
        return self._commit(StepResult(question_id))

    def jump(self, dimension: str) -> StepResult:
        """Go to a dimension: its first open question, else its first question."""
        qs = self.tracker.pending_in(dimension) or [
            q for q in self.bank.in_dimension(dimension) if self.tracker.is_relevant(q.id)
        ]
        if dimension not in self._phases or not qs:
            raise FlowError(f"There are no questions in {dimension!r}.")
        self._fire("jump", dimension)
        self._show(qs[0])
        return self._commit(StepResult(qs[0].id))

    def finish(self) -> StepResult:
        """End now; open relevant questions become unanswered evidence gaps."""
        if self.state == SUMMARY:
            return StepResult(None)
        if self.state == WELCOME:
            self.start()
        self._fire("finish", SUMMARY)
        self.session.current = None
        return self._commit(StepResult(None))

    def undo(self) -> StepResult:
        """Take back the last change to an answer: a revision gets its earlier answer back, a fresh answer is removed.

        After taking back a fresh answer the conversation returns to that question, so a
        stray key that answered it costs nothing.
        """
        if not self._undo:
            raise FlowError("Nothing to undo.")
        qid, previous = self._undo.pop()
        was_answered = qid in self._answers
        if previous is None:
            self._answers.pop(qid, None)
        else:
            self._answers[qid] = previous
        change = self.tracker.update(qid)
        self._sync_answers(qid, was_answered)
        if previous is None and self.tracker.is_relevant(qid):
            if self.state != self.phase_of(qid):
                self._fire("jump", self.phase_of(qid))
            self._show(self.bank.by_id[qid])
        else:
            self._leave_irrelevant_question()
        return self._commit(StepResult(qid, change))

    def _leave_irrelevant_question(self) -> None:
        """Never rest on a question that no longer applies (after an undo): go to the first open one, or the summary."""
        cur = self.session.current
        if cur is None or self.state not in self._phases or self.tracker.is_relevant(cur):
            return
        nxt = self.tracker.first_pending()
        if nxt is None:
            self.session.current = None
            self._fire("finish", SUMMARY)
            return
        self._show(nxt)
        if self.phase_of(nxt.id) != self.state:
            self._fire("jump", self.phase_of(nxt.id))

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    # -- headless recording ------------------------------------------------
    def record(self, question_id: str, value: AnswerValue, by: Mapping[str, AnswerValue] | None = None) -> Change:
        """Record an answer to any relevant question (headless runs); ``dont_know``/``skip`` are gaps."""
        q = self.bank.by_id.get(question_id)
        if q is None:
            raise FlowError(f"Unknown question {question_id!r}.")
        if not self.tracker.is_relevant(question_id):
            raise FlowError(f"Question {question_id} does not apply given the earlier answers.")
        if value == DONT_KNOW:
            rec = AnswerRecord.gap("dont_know")
        elif value == SKIP:
            rec = AnswerRecord.gap("skipped")
        else:
            rec = AnswerRecord(value=validate_value(q, value))
        rec.by = self._group_answers(q, by)
        self._remember_asked(question_id)
        change = self._record(question_id, rec)
        self._commit(StepResult(question_id, change))
        return change

    def settle(self) -> None:
        """After headless recording: show the first open question, or the summary when none is left."""
        nxt = self.tracker.first_pending()
        if self.state == WELCOME and nxt is not None:
            self.start()
            return
        if nxt is None:
            self.session.current = None
            if self.state == WELCOME:
                self._fire("proceed", SUMMARY)
            elif self.state != SUMMARY:
                self._fire("finish", SUMMARY)
        else:
            self._show(nxt)
            target = self.phase_of(nxt.id)
            if self.state != target:
                self._fire("jump", target)
        self._commit(StepResult(self.session.current))

    # -- notes, owners, project ------------------------------------------
    def note(self, question_id: str, text: str) -> None:
        if question_id not in self.bank.by_id:
            raise FlowError(f"Unknown question {question_id!r}.")
        if text.strip():
            self.session.notes[question_id] = unicode_text(text)
        else:
            self.session.notes.pop(question_id, None)
        self._commit(StepResult(question_id))

    def set_owner(self, question_id: str, owner: str) -> None:
        if owner.strip():
            self.session.owners[question_id] = unicode_text(owner.strip())
        else:
            self.session.owners.pop(question_id, None)
        self._commit(StepResult(question_id))

    def track(
        self, action_id: str, owner: str | None = None, due: str | None = None, status: str | None = None
    ) -> None:
        """Record the user's owner, due date or status for an action (see :mod:`flows.tracking`)."""
        tracking.edit(self.session, action_id, owner=owner, due=due, status=status)
        self._commit(StepResult(self.session.current))

    def set_participants(self, names: Sequence[str]) -> None:
        """Group mode: who is answering together (order kept; blank and repeated names dropped)."""
        cleaned: list[str] = []
        for name in names:
            who = " ".join(str(name).split())
            if who and who not in cleaned:
                cleaned.append(who)
        self.session.participants = cleaned
        self._commit(StepResult(self.session.current))

    def set_project(self, name: str | None = None, assessor: str | None = None, **details: str) -> None:
        """Set any of the project's details (``name``, ``organisation``, ``assessor``, ``role``, ``sro``, ``contact``)."""
        given = {"name": name, "assessor": assessor, **details}
        project = self.session.project
        for key, value in given.items():
            if key not in Project.model_fields:
                raise FlowError(f"Unknown project detail {key!r}.")
            if value is not None:
                setattr(project, key, unicode_text(value))
        self._commit(StepResult(self.session.current))

    # -- reading ----------------------------------------------------------
    def why(self, question_id: str | None = None) -> list[Why]:
        qid = question_id or self.session.current
        if qid is None:
            return []
        return why_for(self.bank, self.tracker, self._answers, qid)

    def set_aside(self) -> list[str]:
        return self.tracker.set_aside()

    def inconsistencies(self, about: str | None = None) -> list[Inconsistency]:
        """Answers that contradict each other now, each naming both questions (only those about ``about``, if given)."""
        return cross_checks(self.bank, self.tracker, about=about)

    def disagreements(self, include_agreed: bool = False) -> list[Spread]:
        """Group mode: per relevant question with participants' answers, how far they differ (widest first)."""
        from flows.group import disagreements

        return disagreements(self.bank, self._answers, self.tracker.is_relevant, include_agreed=include_agreed)

    def summary(self, final: bool | None = None) -> Summary:
        """The readiness summary; ``final`` defaults to whether the assessment is finished."""
        summary = build_summary(self.bank, self.session, self.tracker, self.finished if final is None else final)
        drift.apply(summary, self.bank, self.session, self.orphans)
        summary.actions = tracking.apply(summary.actions, self.session)
        return summary

    def orphan_report(self) -> list[Orphan]:
        """Each answer kept from an earlier bank version, with why this bank cannot use it."""
        return drift.orphan_report(self.bank, self.session, self.orphans)

    def resume_note(self) -> str:
        """What a returning user must know about the bank having changed since they began ("" if nothing)."""
        return drift.resume_note(self.bank, self.session, self.orphans, len(self.tracker.pending))

    def provisional_tier(self) -> int:
        """The impact tier so far, as ``summary(final=False)`` has it, at a fraction of the cost."""
        return provisional_tier(self.bank, self.tracker)

    def progress(self) -> list[Progress]:
        out = []
        asked = [qid for qid in self.session.history if self.tracker.is_relevant(qid)]
        for dim in DIMENSIONS:
            if dim not in self._phases:
                continue
            mine = [qid for qid in asked if self.phase_of(qid) == dim]
            answered = sum(1 for qid in mine if qid in self._answers and self._answers[qid].status == "answered")
            totals = self.tracker.totals[dim]
            share = totals.share()
            rating: Rating | None
            if totals.counted == 0:
                rating = None
            elif dim == "complexity":
                rating = tier_rating(self.provisional_tier())
            else:
                rating = rating_for(self.bank, share)
            out.append(
                Progress(
                    dimension=dim,
                    title=self.bank.title_of(dim),
                    asked=len(mine),
                    answered=answered,
                    remaining=len(self.tracker.pending_in(dim)),
                    rating=rating,
                    score_0_5=score_0_5(share) if share is not None and dim != "complexity" else None,
                )
            )
        return out

    def consistent(self) -> bool:
        """Whether the incremental state equals a recomputation from scratch (for tests)."""
        return self.tracker.snapshot() == recompute(self.bank, self._answers)

    # -- internals --------------------------------------------------------
    def _group_answers(self, question: Question, by: Mapping[str, AnswerValue] | None) -> dict[str, AnswerValue]:
        """Validate participants' answers; names not yet among the session's participants are added."""
        if not by:
            return {}
        out: dict[str, AnswerValue] = {}
        for name, value in by.items():
            who = " ".join(str(name).split())
            if not who:
                raise FlowError(f"{question.id}: a participant's answer needs the participant's name.")
            if who in out:
                raise FlowError(f"{question.id}: {who!r} is named twice.")
            if value in (DONT_KNOW, SKIP):
                out[who] = value
                continue
            try:
                out[who] = validate_value(question, value)
            except FlowError as exc:
                raise FlowError(f"{who}: {exc}") from None
        for who in out:
            if who not in self.session.participants:
                self.session.participants.append(who)
        return out

    def _record(self, qid: str, record: AnswerRecord) -> Change:
        self.orphans.pop(qid, None)  # a new answer replaces one the bank could no longer take
        previous = self._answers.get(qid)
        if previous is None:
            self._undo.append((qid, None))  # a fresh answer: undo takes it back
        elif previous.value != record.value or (record.by and record.by != previous.by):
            self._undo.append((qid, previous))
        elif previous is not None:
            record.by = record.by or previous.by
        self._answers[qid] = record
        change = self.tracker.update(qid)
        self._sync_answers(qid, previous is not None)
        return change

    def _sync_answers(self, qid: str, was_answered: bool) -> None:
        """Make ``session.answers`` (what is saved) equal ``{**orphans, **answers}`` again, in that order.

        The first call builds it; later calls touch only ``qid``, the one answer that
        changed, so an answer step costs O(1) here rather than O(answers).
        """
        saved = self.session.answers
        if saved is not self._saved_answers or qid in self.orphans:
            self.session.answers = self._saved_answers = {**self.orphans, **self._answers}
            return
        record = self._answers.get(qid)
        if record is not None and was_answered:
            saved[qid] = record  # in place: same position as a rebuild gives
            return
        saved.pop(qid, None)  # a new answer goes last, as in a rebuild (it may have been an orphan)
        if record is not None:
            saved[qid] = record

    def _remember_asked(self, question_id: str) -> None:
        """Append to ``session.history`` unless already there (a set lookup, not a scan of the history)."""
        history = self.session.history
        if history is not self._asked_list or len(history) != self._asked_len:
            self._asked = set(history)  # changed behind our back: start again from the list
        if question_id not in self._asked:
            history.append(question_id)
            self._asked.add(question_id)
        self._asked_list, self._asked_len = history, len(history)

    def _show(self, question: Question) -> None:
        self.session.current = question.id
        self._remember_asked(question.id)

    def _place_cursor(self) -> None:
        nxt = self.tracker.first_pending()
        if nxt is not None and self.phase_of(nxt.id) == self.state:
            self._show(nxt)
        else:
            asked = [q for q in self.session.history if q in self.bank.by_id and self.phase_of(q) == self.state]
            if asked:
                self.session.current = asked[-1]

    def _fire(self, trigger: str, target: str) -> None:
        self._model.target = target
        try:
            if not self._model.trigger(trigger):
                raise FlowError(f"Cannot {trigger.replace('_', ' ')} from {self.state} to {target}.")
        except MachineError as exc:
            raise FlowError(f"Cannot {trigger.replace('_', ' ')} now ({self.state}).") from exc
        finally:
            self._model.target = None
        self.session.state = self.state

    def _commit(self, result: StepResult) -> StepResult:
        self.session.updated = now()
        if self.path is not None:
            save_session(self.path, self.session)
        return result

    def _repair_stale_options(self) -> None:
        """Drop answers whose options the bank no longer has, keeping them as orphans."""
        for qid, rec in list(self._answers.items()):
            if rec.is_gap:
                continue
            question = self.bank.by_id[qid]
            try:
                rec_value = validate_value(question, renamed(question, rec.value))
            except FlowError:
                self.orphans[qid] = rec
                del self._answers[qid]
                continue
            if rec_value != rec.value:
                self._answers[qid] = rec.model_copy(update={"value": rec_value})


def renamed(question: Question, value: AnswerValue) -> AnswerValue:
    """Map option ids a newer bank retired (and kept as a synonym of their successor) to the new ids."""
    if question.kind not in CHOICE_KINDS:
        return value

    def one(v: object) -> object:
        if isinstance(v, str) and v not in question.option_index:
            successor = question.option_for_old_id(v)
            if successor is not None:
                return successor.id
        return v

    if isinstance(value, list):
        return [one(v) for v in value]  # type: ignore[misc]
    return one(value)  # type: ignore[return-value]


def _states(phases: Sequence[str]) -> list[str]:
    from flows.machine import states_for

    return states_for(list(phases))


def new_session(bank: Bank) -> Session:
    return Session(bank=BankRef(id=bank.id, version=bank.version))


__all__ = [
    "CHOICE_KINDS",
    "Assessment",
    "FlowError",
    "Progress",
    "StepResult",
    "new_session",
    "renamed",
    "validate_value",
]
