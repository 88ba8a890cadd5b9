"""The project's details, asked before the first question: each is skippable and heads every report.

A fresh assessment opens with these (``/details`` asks them again, each showing what is
recorded). Enter alone skips a detail or keeps what is there; ``/back`` returns to the
previous one; ``/skip`` skips one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from conversation.turns import Em, Strong, Turn, para

if TYPE_CHECKING:
    from conversation.core import Conversation


@dataclass(frozen=True)
class Detail:
    field: str
    question: str
    placeholder: str


DETAILS: tuple[Detail, ...] = (
    Detail("name", "What is the project called?", "e.g. Custody risk triage pilot"),
    Detail("organisation", "Which force or organisation is it for?", "e.g. Northshire Police"),
    Detail("assessor", "Who is doing this assessment?", "Your name"),
    Detail("role", "What is your role?", "e.g. Project lead, data analytics"),
    Detail("sro", "Who is the senior responsible owner?", "Name and role"),
    Detail("contact", "Who should questions about this assessment go to?", "An email address or phone number"),
)
LABELS = {
    "name": "Project",
    "organisation": "Organisation",
    "assessor": "Assessor",
    "role": "Role",
    "sro": "Senior responsible owner",
    "contact": "Contact",
}


class Intake:
    """Where the conversation is in the details: ``index`` into :data:`DETAILS`."""

    def __init__(self) -> None:
        self.index = 0

    @property
    def detail(self) -> Detail:
        return DETAILS[self.index]

    def turn(self, conv: Conversation) -> Turn:
        d = self.detail
        now = str(getattr(conv.a.session.project, d.field))
        blocks = [para(Strong(f"{d.question}"), f" ({self.index + 1} of {len(DETAILS)})")]
        hint = "Enter keeps it." if now else "Enter skips it."
        if now:
            blocks.append(para("Recorded: ", Strong(now), f". {hint}", tight=True))
        else:
            blocks.append(para(Em(f"Optional. {hint}"), tight=True))
        return Turn("question", tuple(blocks), extra={"detail": d.field})


def start(conv: Conversation, *, again: bool = False) -> None:
    """Begin asking the details (``again``: from ``/details``, showing what is recorded)."""
    conv.intake = Intake()
    intro = (
        "Project details: they head your report. Change any, or press Enter to keep it."
        if again
        else "Before the questions, a few details about the project. They head every report; each is optional."
    )
    conv.emit(Turn("heading", (para(Strong("Project details")), para(intro)), extra={"dimension": "details"}))
    ask(conv)


def ask(conv: Conversation) -> None:
    intake = conv.intake
    assert intake is not None
    conv.emit(intake.turn(conv))
    conv.moved()


def take(conv: Conversation, text: str) -> None:
    """The person's reply to the current detail: recorded (trimmed) unless empty, then the next one."""
    intake = conv.intake
    assert intake is not None
    value = " ".join(text.split())
    before = conv.a.path
    if value and not conv.succeeds(partial(conv.a.set_project, **{intake.detail.field: value})):
        return
    if value:
        conv.emit(Turn("acknowledgement", (para(value),), rich=False, extra={"label": value}))
    conv.say_if_moved(before)
    advance(conv)


def advance(conv: Conversation) -> None:
    intake = conv.intake
    assert intake is not None
    intake.index += 1
    if intake.index < len(DETAILS):
        ask(conv)
        return
    conv.intake = None
    p = conv.a.session.project
    if p.name.strip():
        conv.notice(f"Thank you. The assessment of {p.name.strip()} starts now.")
    conv.reshow()
    conv.present(open_summary=True)


def ask_again(conv: Conversation, fields: list[str]) -> None:
    """After an undo while the details are asked: ask the first detail taken back (or the current one again)."""
    intake = conv.intake
    assert intake is not None
    order = [d.field for d in DETAILS]
    intake.index = min((order.index(f) for f in fields if f in order), default=intake.index)
    ask(conv)


def back(conv: Conversation) -> None:
    intake = conv.intake
    assert intake is not None
    if intake.index == 0:
        conv.notice("This is the first of the project details.")
        return
    intake.index -= 1
    ask(conv)


def heading_lines(project: object) -> list[tuple[str, str]]:
    """The recorded details as (label, value) pairs, in order, for headings."""
    out = []
    for d in DETAILS:
        value = str(getattr(project, d.field, "")).strip()
        if value:
            out.append((LABELS[d.field], value))
    return out
