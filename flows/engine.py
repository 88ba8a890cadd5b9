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

from collections.abc import Mapping, Sequence
from pathlib import Path

from transitions import MachineError

from flows.checks import inconsistencies as cross_checks
from flows.history import Edit, History
from flows.locking import SessionLock, SessionLocked
from flows.machine import SUMMARY, WELCOME, PhaseModel, build_machine, review
from flows.persistence import json_text, load_session
from flows.reading import Reading
from flows.scoring import Tracker
from flows.session import AnswerRecord, BankRef, Session, Status
from flows.values import (
    FlowError,
    NotSaved,
    Progress,
    ReadOnly,
    StepResult,
    renamed,
    validate_value,
)
from question_banks.conditions import DONT_KNOW, SKIP, AnswerValue
from question_banks.schema import CHOICE_KINDS, DIMENSIONS, Bank, Question, Wording


class Assessment(History, Reading):
    """One assessment against one bank; see the module docstring."""

    def __init__(
        self, bank: Bank, session: Session | None = None, path: Path | None = None, read_only: str | None = None
    ) -> None:
        self.bank = bank
        self.path = path
        self.read_only = read_only
        """Why this assessment may not change (another process holds the session); None when it may."""
        self.lock: SessionLock | None = None
        """The session's lock, held for as long as this assessment is (see :mod:`flows.locking`)."""
        self.names_file = False
        self._load(session or Session(bank=BankRef(id=bank.id, version=bank.version)))
        keep = path is not None or read_only is not None
        self._saved: bytes | None = json_text(self.session).encode() if keep else None
        """The session as its file holds it: what memory returns to when a save fails."""
        self._undo: list[Edit] = []
        """Every change recorded, with what it replaced (see :mod:`flows.history`)."""
        self._saved_undo: list[Edit] = []

    @classmethod
    def open_file(cls, bank: Bank, path: Path, read_only_if_busy: bool = False) -> Assessment:
        """The assessment saved at ``path`` (new if there is no file), holding the session's lock.

        The lock is taken before the file is read, so what is read is what this process
        then owns. If another process holds it, :class:`~flows.locking.SessionLocked`
        is raised, or with ``read_only_if_busy`` the file is opened :attr:`read_only`.
        A bad file raises :class:`~flows.persistence.SessionFileError` (the lock is let go).
        """
        if path.exists() and not path.is_file():
            load_session(path)  # a device or pipe: refused in one line, before a lock file is put beside it
        lock = SessionLock(path)
        reason: str | None = None
        try:
            lock.acquire()
        except SessionLocked as busy:
            if not read_only_if_busy:
                raise
            reason = f"{busy.reason}; this window is read-only (close the other one to make changes here)"
        except OSError as exc:
            if not read_only_if_busy or not path.exists():
                raise
            reason = f"{path} cannot be changed here ({exc.strerror or exc}); this window is read-only"
        try:
            session = load_session(path) if path.exists() else None
            assessment = cls(bank, session, path, read_only=reason)
        except BaseException:
            lock.release()
            raise
        if reason is None:
            assessment.lock = lock
        return assessment

    def _load(self, session: Session) -> None:
        """Build every derived structure from ``session`` (at start, and to undo a change that could not be saved)."""
        bank = self.bank
        self.session = session
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

    def close(self) -> None:
        """Let go of the session's lock (the process ending does the same)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

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


def _states(phases: Sequence[str]) -> list[str]:
    from flows.machine import states_for

    return states_for(list(phases))


def new_session(bank: Bank) -> Session:
    return Session(bank=BankRef(id=bank.id, version=bank.version))


__all__ = [
    "CHOICE_KINDS",
    "Assessment",
    "FlowError",
    "NotSaved",
    "Progress",
    "ReadOnly",
    "StepResult",
    "new_session",
    "renamed",
    "validate_value",
]
