"""What the conversation hands a front end: the reply to render, the prompt, and questions for arguments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from conversation.turns import Turn, TurnKind
from question_banks.conditions import AnswerValue
from question_banks.schema import Question


@dataclass(frozen=True)
class MenuItem:
    value: str
    label: str


@dataclass(frozen=True)
class Prompt:
    """What the conversation expects next."""

    kind: Literal["question", "menu", "detail", "none"]
    question: Question | None = None
    menu: tuple[MenuItem, ...] = ()
    menu_kind: Literal["", "review", "finished"] = ""
    initial: AnswerValue | None = None
    """The answer to start from (a revision's recorded answer, or the group's majority)."""
    title: str = ""
    """A heading for the answer area (group mode: whose answer this is)."""
    who: str | None = None
    settling: bool = False
    placeholder: str = ""


@dataclass(frozen=True)
class Ask:
    """A command needs an argument: the front end asks for it, then calls ``run(command, answer)``."""

    command: str
    kind: Literal["text", "choice", "tally"]
    title: str
    body: str = ""
    value: str = ""
    placeholder: str = ""
    choices: tuple[MenuItem, ...] = ()
    question_id: str | None = None


@dataclass
class Reply:
    turns: list[Turn] = field(default_factory=list)
    ask: Ask | None = None
    moved: bool = False
    """The prompt changed (a new question, a recap, the end): the answer area should be redrawn."""
    quit: bool = False

    def kinds(self) -> list[TurnKind]:
        return [t.kind for t in self.turns]


def ask(
    command: str,
    kind: Literal["text", "choice", "tally"],
    title: str,
    *,
    body: str = "",
    value: str = "",
    placeholder: str = "",
    choices: Sequence[tuple[str, str]] = (),
    question_id: str | None = None,
) -> Ask:
    return Ask(
        command,
        kind,
        title,
        body=body,
        value=value,
        placeholder=placeholder,
        choices=tuple(MenuItem(v, label) for v, label in choices),
        question_id=question_id,
    )
