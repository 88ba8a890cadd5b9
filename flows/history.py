"""An assessment's bookkeeping of changes: recording answers, the undo stack, saving and rolling back.

A mixin of :class:`flows.engine.Assessment`, kept apart so the engine module holds the flow
itself (phases and moves). Every change the user makes (an answer, a note, an owner, an
action's owner/due date/status, a project detail) is recorded here with what it replaced,
so :meth:`History.undo` takes back the last one, whatever its kind. Saving lives here too:
a change that cannot be written is undone in memory, undo stack included.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol

from flows.machine import SUMMARY, WELCOME
from flows.persistence import SessionTooLarge, save_session
from flows.scoring import Change, Tracker
from flows.session import ActionEdit, AnswerRecord, Project, Session, now
from flows.values import FlowError, NotSaved, ReadOnly, StepResult, validate_value
from question_banks.conditions import DONT_KNOW, SKIP, AnswerValue
from question_banks.schema import Bank, Question

if TYPE_CHECKING:
    from flows.locking import SessionLock

EditKind = Literal["answer", "note", "owner", "action", "project"]


class Edit(NamedTuple):
    """One recorded change, with what it replaced: what :meth:`History.undo` puts back."""

    kind: EditKind
    key: str
    """The question (answer, note, owner), the action's id, or the project details changed (``name,sro``)."""
    before: AnswerRecord | ActionEdit | Project | str | None
    """The value before the change; ``None`` when there was none (undo removes the new one)."""


class _Engine(Protocol):
    """What these methods need of the assessment they are mixed into."""

    bank: Bank
    session: Session
    tracker: Tracker
    orphans: dict[str, AnswerRecord]
    path: Path | None
    read_only: str | None
    lock: SessionLock | None
    _answers: dict[str, AnswerRecord]
    _phases: list[str]
    _saved: bytes | None
    _undo: list[Edit]
    _saved_undo: list[Edit]
    _saved_answers: dict[str, AnswerRecord] | None
    names_file: bool

    @property
    def state(self) -> str: ...

    def phase_of(self, question_id: str) -> str: ...

    def start(self) -> StepResult: ...

    def _load(self, session: Session) -> None: ...

    def _fire(self, trigger: str, target: str) -> None: ...

    def _show(self, question: Question) -> None: ...

    def _remember_asked(self, question_id: str) -> None: ...

    def _group_answers(self, question: Question, by: Mapping[str, AnswerValue] | None) -> dict[str, AnswerValue]: ...

    def _record(self, qid: str, record: AnswerRecord) -> Change: ...

    def _sync_answers(self, qid: str, was_answered: bool) -> None: ...

    def _leave_irrelevant_question(self) -> None: ...

    def _put_back(self, edit: Edit) -> None: ...

    def _commit(self, result: StepResult) -> StepResult: ...

    def _roll_back(self) -> None: ...

    def _follow_project_name(self) -> None: ...


class History:
    _saved: bytes | None
    """The session as its file holds it: what memory returns to when a save fails."""
    _saved_answers: dict[str, AnswerRecord] | None
    """``session.answers`` as last rebuilt by :meth:`_sync_answers`, which then keeps it up to date."""
    _undo: list[Edit]
    """Every change recorded, with what it replaced."""
    _saved_undo: list[Edit]
    """The undo stack as it was at the last save."""
    path: Path | None
    lock: SessionLock | None
    names_file: bool
    """ceder chose this session's file name in its own folder: it takes the project's name (see flows.naming)."""

    # -- undo ------------------------------------------------------------------
    @property
    def can_undo(self: _Engine) -> bool:
        return bool(self._undo)

    @property
    def last_change(self: _Engine) -> Edit | None:
        """The change :meth:`undo` would take back next."""
        return self._undo[-1] if self._undo else None

    def _remember(self: _Engine, edit: Edit) -> None:
        """Put a change on the undo stack (the caller then commits it)."""
        self._undo.append(edit)

    def undo(self: _Engine) -> StepResult:
        """Take back the last recorded change of any kind; :attr:`StepResult.undone` says which.

        An answer: a revision gets its earlier answer back, a fresh answer is removed and the
        conversation returns to that question, so a stray key that answered it costs nothing.
        A note, an owner, an action's tracking or a project detail gets its earlier value back.
        """
        if not self._undo:
            raise FlowError("Nothing to undo.")
        edit = self._undo.pop()
        if edit.kind != "answer":
            self._put_back(edit)
            result = StepResult(self.session.current, undone=edit)
            return self._commit(result)
        qid, previous = edit.key, edit.before
        assert previous is None or isinstance(previous, AnswerRecord)
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
        return self._commit(StepResult(qid, change, undone=edit))

    def _put_back(self: _Engine, edit: Edit) -> None:
        """Restore what a note, owner, action or project edit replaced."""
        session, before = self.session, edit.before
        if isinstance(before, Project):
            session.project = before.model_copy()
        elif edit.kind == "action":
            if isinstance(before, ActionEdit):
                session.actions[edit.key] = before
            else:
                session.actions.pop(edit.key, None)
        else:
            texts = session.notes if edit.kind == "note" else session.owners
            if isinstance(before, str):
                texts[edit.key] = before
            else:
                texts.pop(edit.key, None)

    def _leave_irrelevant_question(self: _Engine) -> None:
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

    # -- headless recording ------------------------------------------------
    def record(
        self: _Engine, question_id: str, value: AnswerValue, by: Mapping[str, AnswerValue] | None = None
    ) -> Change:
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

    def settle(self: _Engine) -> None:
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

    # -- answers --------------------------------------------------------------
    def _record(self: _Engine, qid: str, record: AnswerRecord) -> Change:
        self.orphans.pop(qid, None)  # a new answer replaces one the bank could no longer take
        previous = self._answers.get(qid)
        if previous is None:
            self._undo.append(Edit("answer", qid, None))  # a fresh answer: undo takes it back
        elif previous.value != record.value or (record.by and record.by != previous.by):
            self._undo.append(Edit("answer", qid, previous))
        elif previous is not None:
            record.by = record.by or previous.by
        self._answers[qid] = record
        change = self.tracker.update(qid)
        self._sync_answers(qid, previous is not None)
        return change

    def _sync_answers(self: _Engine, qid: str, was_answered: bool) -> None:
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

    # -- the session's file ------------------------------------------------------
    def name_file_after_project(self: _Engine) -> None:
        """Let the file, which ceder named in its own folder, take the project's name: now if it has one, else once given.

        Front ends call this for sessions they created in ceder's sessions folder, never for
        a path the user named. The file moves once (see :mod:`flows.naming`); :attr:`path`
        then names the new file, which every later save writes.
        """
        self.names_file = True
        self._follow_project_name()

    def _follow_project_name(self: _Engine) -> None:
        from flows.naming import is_provisional, name_after_project

        path, name = self.path, self.session.project.name
        if not self.names_file or path is None or self.read_only is not None or not name.strip():
            return
        if not is_provisional(path):
            return
        moved = name_after_project(path, self.lock, name, self.session.created)
        if moved is not None:
            self.path, self.lock = moved

    # -- saving ---------------------------------------------------------------
    def _commit(self: _Engine, result: StepResult) -> StepResult:
        """Save the change just made, or undo it in memory and say why: memory never runs ahead of the file."""
        if self.read_only is not None:
            self._roll_back()
            raise ReadOnly(self.read_only)
        self.session.updated = now()
        if self.path is not None:
            try:
                self._saved = save_session(self.path, self.session)
            except (OSError, SessionTooLarge) as exc:
                self._roll_back()
                raise NotSaved(self.path, exc) from exc
            self._saved_undo = list(self._undo)
        return result

    def _roll_back(self: _Engine) -> None:
        """Return to the session as last saved (or as opened), undo history included."""
        if self._saved is None:
            raise AssertionError("an assessment without a file never rolls back")  # pragma: no cover
        self._load(Session.model_validate_json(self._saved))
        self._undo = list(self._saved_undo)
