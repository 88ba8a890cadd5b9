"""Answer values and what a step returns: validation and normalisation of answers, the engine's errors.

Kept apart from :mod:`flows.engine` so that the rules for what an answer may be are read in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from flows.scoring import Change
from flows.summary import Inconsistency, Rating
from question_banks.conditions import AnswerValue
from question_banks.schema import CHOICE_KINDS, Question

if TYPE_CHECKING:
    from flows.history import Edit


class FlowError(Exception):
    """A request the assessment cannot take (bad answer, illegal move); the message is for the user."""


class NotSaved(FlowError):
    """A change that could not be written; it was undone in memory too, so the screen can show the file's state."""

    def __init__(self, path: Path, error: Exception) -> None:
        self.path, self.error = path, error
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        super().__init__(
            f"Not saved: cannot write {path}: {reason}. That change was not recorded; nothing else was lost."
        )


class ReadOnly(FlowError):
    """A change asked of an assessment opened read-only (another process is writing the session)."""


class Progress(NamedTuple):
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
    undone: Edit | None = None
    """For :meth:`~flows.engine.Assessment.undo`: the change it took back."""


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


def option_id(value: object) -> str:
    """An option id as written: a number read from YAML or JSON (``E14: 2`` is 2.0 by then) is the id ``"2"``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def validate_value(question: Question, value: AnswerValue) -> AnswerValue:
    """Check and normalise an answer value for ``question``; raise :class:`FlowError` if it does not fit."""
    if question.kind in ("single", "scale"):
        if isinstance(value, list) or option_id(value) not in question.option_index:
            valid = ", ".join(question.option_index)
            raise FlowError(f"{question.id}: {_shown(value)} is not an option (choose one of: {valid})")
        return option_id(value)
    if question.kind == "multi":
        chosen = value if isinstance(value, list) else [value]
        out: list[str] = []
        for v in map(option_id, chosen):
            if v not in question.option_index:
                raise FlowError(
                    f"{question.id}: {_shown(v)} is not an option (choose from: {', '.join(question.option_index)})"
                )
            if v not in out:
                out.append(v)
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
