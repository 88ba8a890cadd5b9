"""Understanding what a person typed: a command, an answer, a gap, or something to clarify.

One interpreter for every front end; answers are matched by :func:`flows.matching.interpret`
(option numbers, labels, ids and synonyms). Text starting with ``//`` is an answer that
begins with a slash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from conversation.turns import said
from flows.matching import interpret
from question_banks.conditions import AnswerValue

if TYPE_CHECKING:
    from conversation.core import Conversation

IntentKind = Literal["command", "answer", "dont_know", "skip", "continue", "keep", "empty", "unclear", "idle", "detail"]
CONTINUE_WORDS = frozenset({"c", "continue", "next", "ok", "y", "yes", "go"})
MAYBE_WORDS = frozenset({"maybe", "perhaps", "possibly", "probably", "kind of", "sort of", "depends", "it depends"})
MAYBE = (
    "If you are not sure, answer “don't know” (/dontknow): it is recorded as an evidence gap, which counts as "
    "zero until you come back and answer it, and it is listed in the summary so it gets followed up. "
    "Otherwise pick the answer that fits best."
)


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    text: str = ""
    command: str = ""
    arg: str | None = None
    value: AnswerValue | None = None
    message: str = ""

    def act(self, conv: Conversation) -> None:
        """Carry the intent out on ``conv``."""
        from conversation.commands import run_command

        if self.kind == "command":
            run_command(conv, self.command, self.arg, typed=self.text)
        elif self.kind == "answer":
            assert self.value is not None
            conv.answer(self.value, typed=self.text)
        elif self.kind in ("dont_know", "skip"):
            conv.gap("dont_know" if self.kind == "dont_know" else "skip")
        elif self.kind == "continue":
            conv.emit(said(self.text))
            conv.pick_menu("continue")
        elif self.kind == "keep":
            from conversation.grouping import keep

            keep(conv)
        elif self.kind == "detail":
            from conversation import details

            details.take(conv, self.text)
        elif self.kind == "empty":
            conv.notice(self.message)
        elif self.kind in ("unclear", "idle"):
            conv.emit(said(self.text))
            conv.notice(self.message)


def understand(conv: Conversation, raw: str) -> Intent:
    """What ``raw`` means at this point of the conversation."""
    text = raw.strip()
    a = conv.a
    if text.startswith("/") and not text.startswith("//"):
        word, _, rest = text[1:].partition(" ")
        return Intent("command", text, command=word, arg=rest.strip() or None)
    if text.startswith("//"):
        text = text[1:]
    prompt = conv.prompt
    if prompt.kind == "detail":
        return Intent("detail", text)
    if prompt.kind == "menu":
        if not text or text.lower() in CONTINUE_WORDS:
            if prompt.menu_kind == "review":
                return Intent("continue", text)
            return Intent("command", text, command="summary")
        digits = [m for i, m in enumerate(prompt.menu, 1) if text == str(i)]
        if digits:
            return (
                Intent("command", text, command=digits[0].value)
                if digits[0].value != "continue"
                else Intent("continue", text)
            )
        if prompt.menu_kind == "review":
            return Intent("idle", text, message="Press Enter to continue, or type /help.")
        return Intent("idle", text, message="Every question is answered. Type /summary or /revise.")
    q = a.current
    if q is None:
        return Intent("idle", text, message="Every question is answered. Type /summary or /revise.")
    if not text:
        if a.record_of(q.id) is not None and not prompt.settling:
            return Intent("keep")
        implied = a.suggestion(q) if not prompt.settling else None
        if implied:  # Enter confirms the options earlier answers imply (offered with the question)
            return Intent("answer", text, value=implied)
        return Intent("empty", message="Please type an answer, or /skip, or /dontknow.")
    if " ".join(text.lower().strip(" .!?").split()) in MAYBE_WORDS:
        return Intent("unclear", text, message=MAYBE)
    meaning = interpret(q, text)
    if meaning.kind == "unclear":
        return Intent("unclear", text, message=meaning.message)
    if meaning.kind == "value":
        return Intent("answer", text, value=meaning.value)
    return Intent(meaning.kind, text)
