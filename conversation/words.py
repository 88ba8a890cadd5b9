"""The assistant's words: plurals, ratings, and the turns that describe the assessment's state.

Only wording lives here (no decisions about what happens next); :mod:`conversation.core`
chooses which of these to say.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from conversation.honesty import HONESTY as HONESTY  # re-exported
from conversation.honesty import HONESTY_FOR_USERS as HONESTY_FOR_USERS
from conversation.turns import Authored, Block, Em, Inline, Strong, Turn, item, para
from flows.wording import plural as plural  # re-exported: the conversation layer says counts this way

if TYPE_CHECKING:
    from flows import Assessment
    from flows.engine import Progress
    from question_banks.schema import Bank, Option, Question

RATING_WORDS: dict[str | None, str] = {"red": "Red", "amber": "Amber", "green": "Green", None: "not rated"}
LONG_OPTION = 60
"""Options longer than this (characters) are also given in full under a multi-select question."""
GAP_WORDS = {"dont_know": "don't know", "skipped": "skipped", "unanswered": "not answered"}


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def honesty(bank_id: str, provenance: str, *, for_users: bool = False) -> str:
    """Where the bank's questions come from, said plainly (``for_users``: without how to load another bank,
    which is for whoever sets ceder up, not for the person assessing)."""
    if bank_id == "ceder-public":
        return HONESTY_FOR_USERS if for_users else HONESTY
    return unticked(provenance)


def unticked(text: str) -> str:
    """Bank text with Markdown code marks dropped (`ceder --bank DIR` reads as ceder --bank DIR)."""
    return re.sub(r"`([^`\n]*)`", r"\1", text)


def option_label(question: Question, option: Option) -> str:
    """An option's label as listed beside its number: a scale's "2: partly met" is shown as "partly met"
    when the option's number is its id (the number would otherwise show twice)."""
    label = option.label
    if question.kind == "scale" and option.id.isdigit():
        label = re.sub(rf"^\s*{re.escape(option.id)}\s*[:.)–—-]\s*", "", label) or label
    return label


def welcome(bank: Bank, where: str | None, *, keys: bool, resumed: Assessment | None = None) -> Turn:
    """The greeting; ``resumed`` is the assessment being carried on, if any."""
    at = f" in {where}" if where else ""
    if resumed is not None:
        back = " (ctrl+b goes back to revise)" if keys else " (/back goes back to revise)"
        name = one_line(resumed.session.project.name)
        first: list[Inline] = [
            Strong("Welcome back."),
            f" {name}: " if name else " ",
            f"{plural(len(resumed.answers), 'answer')} so far, saved{at}. Carrying on where you stopped{back}.",
        ]
        note = resumed.resume_note()  # a changed bank version, and any answers that no longer fit it
        if note:
            first.append(f" {note}")
    else:
        first = [
            Strong("Welcome."),
            " I'll take you through a CEDER self-assessment, one question at a time, ending with a "
            f"readiness summary. Answers are saved as you go{at}.",
        ]
    how = (
        "Pick with ↑↓ and Enter or a number · type an answer or /help · F1 explains a question."
        if keys
        else "Type a number or an answer and press Enter · /help lists the commands."
    )
    return Turn(
        "welcome",
        (
            para(*first),
            para(
                Em(f"{one_line(bank.title)}:"),
                " ",
                honesty(bank.id, bank.manifest.provenance, for_users=True),
                tight=True,
            ),
            para(how, tight=True),
        ),
    )


def heading(a: Assessment, dim: str) -> Turn:
    section = a.bank.section_for(dim)
    blocks: list[Block] = [para(Strong(a.bank.title_of(dim)))]
    if section is not None and section.intro.strip():
        blocks.append(para(Authored(section.intro.strip())))
    return Turn("heading", tuple(blocks), extra={"dimension": dim})


def question(a: Assessment, q: Question, progress: Progress | None, *, keys: bool) -> Turn:
    """The question as asked, with how to answer it and the answer kept from before."""
    blocks: list[Block] = [para(Authored(a.text_of(q).strip()))]
    notes: list[str] = []
    if q.is_follow_up:
        notes.append("A follow-up to your earlier answers (" + ("F2" if keys else "/why") + ": why am I asked this?)")
    if q.kind == "multi":
        notes.append(
            "Choose all that apply: Space or a number toggles, Enter confirms."
            if keys
            else "Choose all that apply: numbers or names, separated by commas (e.g. 1, 3)."
        )
    implied = a.suggestion(q) if q.kind == "multi" else None
    if implied:
        labels = "; ".join(one_line(q.option_index[o].label) for o in implied)
        notes.append(
            f"Your earlier answers imply: {labels}. "
            + ("They are pre-ticked for you to check." if keys else "Press Enter to confirm them, or type your own.")
        )
    if q.kind == "number":
        bounds = []
        if q.min is not None:
            bounds.append(f"at least {q.min:g}")
        if q.max is not None:
            bounds.append(f"at most {q.max:g}")
        unit = f" {q.unit}" if q.unit else ""
        notes.append(f"A number{unit}" + (f", {' and '.join(bounds)}." if bounds else "."))
    elif q.kind == "text":
        notes.append("Type your answer and press Enter.")
    for i, n in enumerate(notes):
        blocks.append(para(Em(n), tight=i > 0))
    if keys and q.kind == "multi":  # the checklist cuts long options at the edge: give those in full here
        long = [(n, option_label(q, o)) for n, o in enumerate(q.options, 1) if len(option_label(q, o)) > LONG_OPTION]
        if long:
            blocks.append(para(Em("In full:")))
            blocks += [para(f"{n}. {label}", tight=True) for n, label in long]
    record = a.record_of(q.id)
    if record is not None and a.is_relevant(q.id):
        from flows.verdict import answer_label

        blocks.append(
            para("You answered ", Strong(answer_label(q, record)), " before. Answer again, or press Enter to keep it.")
        )
    note_text = a.session.notes.get(q.id)
    extra: dict[str, object] = {"progress": progress, "kind": q.kind}
    if note_text:
        extra["note"] = note_text
    return Turn("question", tuple(blocks), question_id=q.id, extra=extra)


def why(a: Assessment, q: Question) -> Turn:
    reasons = a.why(q.id)
    if not reasons:
        if a.phase_of(q.id) == "profile":
            rest = "It is part of the project profile, which decides which follow-up questions you will see."
        else:
            rest = "It is a core question, asked about every project."
        return Turn("why", (para(Strong("Why this question?"), " ", rest),), question_id=q.id)
    blocks: list[Block] = [para(Strong("Why this question?"), " It follows up on your earlier answers:")]
    for w in reasons:
        blocks.append(item(w.text, " You said: ", Strong(w.answer)))
    return Turn("why", tuple(blocks), question_id=q.id, extra={"asked_when": q.ask_if})


def question_help(a: Assessment, q: Question) -> Turn:
    """Guidance and references as they apply to this project (tense, legal regime)."""
    said = a.wording_of(q)
    blocks: list[Block] = [para(Strong("Help:"), " ", Authored(said.help.strip() or "No guidance for this question."))]
    if said.references:
        blocks.append(para(Strong("References:")))
        blocks += [item(r) for r in said.references]
    blocks.append(para(Em("Type /commands for the list of commands.")))
    return Turn("help", tuple(blocks), question_id=q.id)


def facilitator_turn(text: str) -> Turn:
    return Turn("facilitator", (para(Strong("Facilitator note: "), one_line(text)),), rich=False)
