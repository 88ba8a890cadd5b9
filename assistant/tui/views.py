"""What the chat screen draws for the conversation's state, as plain data (:mod:`assistant.tui.opening`).

Computed from the conversation, drawn by the chat screen; the same data is what a new
session's first screen is recorded as, so that it can be painted before the engine loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.tui.opening import ProgressRow, ProgressView, PromptView
from assistant.tui.text import literal
from assistant.tui.widgets.answers import Choice, numbered
from conversation.words import option_label

if TYPE_CHECKING:
    from conversation.core import Conversation
    from question_banks.schema import Question


def choices_for(question: Question) -> list[Choice]:
    """The question's options, each with the digit that picks it."""
    from flows.matching import option_for_digit

    digit_of: dict[str, str] = {}
    for d in range(10):
        opt = option_for_digit(question, d)
        if opt is not None and opt.id not in digit_of:
            digit_of[opt.id] = str(d)
    return [
        Choice(o.id, option_label(question, o), digit_of.get(o.id), o.exclusive, number=str(i))
        for i, o in enumerate(question.options, 1)
    ]


def prompt_view(conv: Conversation, typed: str) -> PromptView:
    """The answer area for what the conversation expects now; ``typed``: what the prompt line holds."""
    p = conv.prompt
    return _view(conv, typed)._replace(title=p.title, turn=bool(p.who) or p.settling)


def _view(conv: Conversation, typed: str) -> PromptView:
    p = conv.prompt
    q = p.question
    if p.kind == "detail":
        return PromptView("line", f"{p.placeholder} · Enter skips", value="")
    if p.kind == "menu":
        items = tuple(numbered([(m.value, m.label) for m in p.menu]))
        return PromptView("menu", "Enter or a number picks · or type a /command (/help)", choices=items)
    if q is None:
        return PromptView("line", None)
    if q.kind in ("single", "scale"):
        initial = str(p.initial) if p.initial is not None else None
        return PromptView(
            "choices",
            "…or type an answer or a /command (/help)",
            choices=tuple(choices_for(q)),
            initial=initial,
        )
    if q.kind == "multi":
        initial_list = tuple(str(v) for v in p.initial) if isinstance(p.initial, list) else None
        return PromptView(
            "multi",
            "…or type numbers or names, separated by commas",
            choices=tuple(choices_for(q)),
            initial=initial_list,
        )
    value: str | None = None
    if p.initial is not None and (not typed or conv.group_mode):
        from conversation.group import reply_label

        shown = reply_label(q, p.initial)
        value = literal(shown.removesuffix(f" {q.unit}" if q.unit else ""))
    elif conv.group_mode:
        value = ""
    if p.settling:
        placeholder = "Type what the group settles on"
    else:
        placeholder = "Type a number and press Enter" if q.kind == "number" else "Type your answer"
    return PromptView("line", placeholder, value=value)


def progress_view(conv: Conversation) -> ProgressView:
    """The progress panel: each dimension's counts and rating, where the person is, the provisional tier."""
    from conversation.progress import tier_is_provisional

    a = conv.a
    rows = a.progress()
    current = a.review_dimension if a.in_review else (a.phase_of(a.current.id) if a.current else None)
    tier = a.provisional_tier() if any(r.rating for r in rows if r.dimension == "complexity") else None
    where = conv.estimate.text() if conv.estimate is not None and not a.finished else ""
    return ProgressView(
        tuple(ProgressRow(r.dimension, r.asked, r.answered, r.remaining, r.rating, r.score_0_5) for r in rows),
        current,
        tier,
        tier_is_provisional(a),
        where,
    )
