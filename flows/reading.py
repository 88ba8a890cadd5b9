"""What an assessment records beside its answers (notes, owners, project) and what can be read from it.

A mixin of :class:`flows.engine.Assessment`, kept apart so the engine module holds the flow itself:
starting, answering, moving between phases, undo and saving.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from flows import drift, tracking
from flows.checks import inconsistencies as cross_checks
from flows.dimensions import rating_for, score_0_5, tier_rating
from flows.scoring import Tracker, recompute
from flows.session import ActionEdit, AnswerRecord, Project, Session
from flows.summary import Inconsistency, Orphan, Rating, Summary, Why
from flows.values import FlowError, Progress, StepResult, unicode_text
from flows.verdict import build_summary, provisional_tier
from flows.verdict import why as why_for
from question_banks.schema import DIMENSIONS, Bank

if TYPE_CHECKING:
    from flows.group import Spread
    from flows.history import Edit, EditKind


class _Engine(Protocol):
    """What these methods need of the assessment they are mixed into."""

    bank: Bank
    session: Session
    tracker: Tracker
    orphans: dict[str, AnswerRecord]
    _answers: dict[str, AnswerRecord]
    _phases: list[str]

    @property
    def finished(self) -> bool: ...

    def phase_of(self, question_id: str) -> str: ...

    def provisional_tier(self) -> int: ...

    def _commit(self, result: StepResult) -> StepResult: ...

    def _remember(self, edit: Edit) -> None: ...

    def _follow_project_name(self) -> None: ...


class Reading:
    # -- notes, owners, project (each change goes on the undo stack: see flows.history) --------
    def note(self: _Engine, question_id: str, text: str) -> None:
        if question_id not in self.bank.by_id:
            raise FlowError(f"Unknown question {question_id!r}.")
        _set_text(self, "note", self.session.notes, question_id, unicode_text(text) if text.strip() else None)
        self._commit(StepResult(question_id))

    def set_owner(self: _Engine, question_id: str, owner: str) -> None:
        _set_text(self, "owner", self.session.owners, question_id, unicode_text(owner.strip()) or None)
        self._commit(StepResult(question_id))

    def track(
        self: _Engine, action_id: str, owner: str | None = None, due: str | None = None, status: str | None = None
    ) -> None:
        """Record the user's owner, due date or status for an action (see :mod:`flows.tracking`)."""
        from flows.history import Edit

        before = self.session.actions.get(action_id)
        after = tracking.edit(self.session, action_id, owner=owner, due=due, status=status)
        if before is None or _tracked(before) != _tracked(after):
            if before is not None or _tracked(after) != (None, None, None):
                self._remember(Edit("action", action_id, before))
        self._commit(StepResult(self.session.current))

    def set_participants(self: _Engine, names: Sequence[str]) -> None:
        """Group mode: who is answering together (order kept; blank and repeated names dropped)."""
        cleaned: list[str] = []
        for name in names:
            who = " ".join(str(name).split())
            if who and who not in cleaned:
                cleaned.append(who)
        self.session.participants = cleaned
        self._commit(StepResult(self.session.current))

    def set_project(self: _Engine, name: str | None = None, assessor: str | None = None, **details: str) -> None:
        """Set any of the project's details (``name``, ``organisation``, ``assessor``, ``role``, ``sro``, ``contact``)."""
        from flows.history import Edit

        given = {"name": name, "assessor": assessor, **details}
        project = self.session.project
        before = project.model_copy()
        for key in given:
            if key not in Project.model_fields:
                raise FlowError(f"Unknown project detail {key!r}.")
        for key, value in given.items():
            if value is not None:
                setattr(project, key, unicode_text(value))
        changed = [key for key in Project.model_fields if getattr(before, key) != getattr(project, key)]
        if changed:
            self._remember(Edit("project", ",".join(changed), before))
        self._commit(StepResult(self.session.current))
        if "name" in changed:
            self._follow_project_name()

    # -- reading ----------------------------------------------------------
    def why(self: _Engine, question_id: str | None = None) -> list[Why]:
        qid = question_id or self.session.current
        if qid is None:
            return []
        return why_for(self.bank, self.tracker, self._answers, qid)

    def set_aside(self: _Engine) -> list[str]:
        return self.tracker.set_aside()

    def inconsistencies(self: _Engine, about: str | None = None) -> list[Inconsistency]:
        """Answers that contradict each other now, each naming both questions (only those about ``about``, if given)."""
        return cross_checks(self.bank, self.tracker, about=about)

    def disagreements(self: _Engine, include_agreed: bool = False) -> list[Spread]:
        """Group mode: per relevant question with participants' answers, how far they differ (widest first)."""
        from flows.group import disagreements

        return disagreements(self.bank, self._answers, self.tracker.is_relevant, include_agreed=include_agreed)

    def summary(self: _Engine, final: bool | None = None) -> Summary:
        """The readiness summary; ``final`` defaults to whether the assessment is finished."""
        summary = build_summary(self.bank, self.session, self.tracker, self.finished if final is None else final)
        drift.apply(summary, self.bank, self.session, self.orphans)
        summary.actions = tracking.apply(summary.actions, self.session)
        return summary

    def orphan_report(self: _Engine) -> list[Orphan]:
        """Each answer kept from an earlier bank version, with why this bank cannot use it."""
        return drift.orphan_report(self.bank, self.session, self.orphans)

    def resume_note(self: _Engine) -> str:
        """What a returning user must know about the bank having changed since they began ("" if nothing)."""
        return drift.resume_note(self.bank, self.session, self.orphans, len(self.tracker.pending))

    def provisional_tier(self: _Engine) -> int:
        """The impact tier so far, as ``summary(final=False)`` has it, at a fraction of the cost."""
        return provisional_tier(self.bank, self.tracker)

    def progress(self: _Engine) -> list[Progress]:
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

    def consistent(self: _Engine) -> bool:
        """Whether the incremental state equals a recomputation from scratch (for tests)."""
        return self.tracker.snapshot() == recompute(self.bank, self._answers)


def _set_text(engine: _Engine, kind: EditKind, texts: dict[str, str], key: str, value: str | None) -> None:
    """Set (or with ``None`` drop) a note or owner, remembering what it replaced when it changes."""
    from flows.history import Edit

    before = texts.get(key)
    if before == value:
        return
    engine._remember(Edit(kind, key, before))
    if value is None:
        texts.pop(key, None)
    else:
        texts[key] = value


def _tracked(edit: ActionEdit) -> tuple[str | None, str | None, str | None]:
    return edit.owner, edit.due, edit.status
