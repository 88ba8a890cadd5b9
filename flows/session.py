"""The session: everything a user has told the assistant, as plain data.

The session is what is saved to disk; the engine derives everything else
(relevance, scores, the summary) from it, so a saved session is enough to
resume exactly where the user stopped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from flows.summary import ActionStatus
from question_banks.conditions import DONT_KNOW, SKIP, AnswerValue, Fact

SCHEMA_VERSION = 1
Status = Literal["answered", "dont_know", "skipped"]


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class AnswerRecord(_Model):
    value: AnswerValue
    status: Status = "answered"
    at: datetime = Field(default_factory=now)
    by: dict[str, AnswerValue] = Field(default_factory=dict)
    """In group mode: each participant's answer behind the one recorded."""

    @classmethod
    def gap(cls, status: Status) -> AnswerRecord:
        return cls(value=DONT_KNOW if status == "dont_know" else SKIP, status=status)

    @property
    def is_gap(self) -> bool:
        return self.status != "answered"

    def fact(self, points: float | None) -> Fact:
        return Fact(self.value, points)


class BankRef(_Model):
    id: str
    version: str


class Project(_Model):
    """The project's details, asked first; they head every report."""

    name: str = ""
    organisation: str = ""
    """The force or organisation the project is for."""
    assessor: str = ""
    role: str = ""
    """The assessor's role."""
    sro: str = ""
    """The senior responsible owner."""
    contact: str = ""


class ActionEdit(_Model):
    """The user's own owner, due date or status for one action; ``None`` keeps the derived value."""

    owner: str | None = None
    due: str | None = None
    """An ISO date (``2026-12-31``)."""
    status: ActionStatus | None = None
    at: datetime = Field(default_factory=now)


class Session(_Model):
    schema_version: int = SCHEMA_VERSION
    bank: BankRef
    project: Project = Field(default_factory=Project)
    answers: dict[str, AnswerRecord] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    owners: dict[str, str] = Field(default_factory=dict)
    """Who owns the action raised by a question, where the user recorded one."""
    actions: dict[str, ActionEdit] = Field(default_factory=dict)
    """The user's edits to the action plan, keyed by the action's stable id; they override the derived values."""
    state: str = "welcome"
    current: str | None = None
    history: list[str] = Field(default_factory=list)
    """Question ids in the order they were first asked."""
    participants: list[str] = Field(default_factory=list)
    created: datetime = Field(default_factory=now)
    updated: datetime = Field(default_factory=now)

    @property
    def finished(self) -> bool:
        return self.state == "summary"
