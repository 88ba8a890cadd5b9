"""What each command of the registry does: one handler per command, ``(conversation, argument or None)``.

A handler called without an argument asks for one (:func:`conversation.replies.ask`)
when the command needs it; front ends then run it again with the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conversation import details, grouping, words
from conversation import group as grp
from conversation.replies import ask
from conversation.turns import Strong, Turn, para, said
from flows.matching import whole_number
from flows.verdict import answer_label

if TYPE_CHECKING:
    from conversation.core import Conversation
    from question_banks.schema import Question


def _back(conv: Conversation, arg: str | None) -> None:
    if conv.intake is not None:
        details.back(conv)
        return
    if grouping.back_one(conv):
        return
    if conv.attempt(conv.a.back) is not None:
        conv.reshow()
        conv.present()


def _skip(conv: Conversation, arg: str | None) -> None:
    conv.gap("skip")


def _dont_know(conv: Conversation, arg: str | None) -> None:
    conv.gap("dont_know")


def _why(conv: Conversation, arg: str | None) -> None:
    q = conv.a.current
    assert q is not None
    conv.emit(words.why(conv.a, q))


def _text_for_answer(
    conv: Conversation, arg: str | None, command: str, title: str, stored: dict[str, str], placeholder: str
) -> Question | None:
    """The answer a note or an owner is for; without ``arg``, ask for the text first (and return None)."""
    q = conv.note_target()
    assert q is not None
    if arg is not None:
        return q
    body = words.one_line(conv.a.text_of(q))
    value = stored.get(q.id, "")
    conv.ask(ask(command, "text", title, body=body, value=value, placeholder=placeholder, question_id=q.id))
    return None


def _note(conv: Conversation, arg: str | None) -> None:
    a = conv.a
    placeholder = "e.g. DPIA v2 signed 3 Oct; link to the file"
    q = _text_for_answer(conv, arg, "note", "Note or evidence for this answer", a.session.notes, placeholder)
    if q is None or arg is None:
        return
    if not conv.succeeds(a.note, q.id, arg):
        return
    if arg.strip():
        conv.emit(said(f"Note: {arg}"))
        conv.notice(f"Noted on {q.id}. It is saved with this answer and shows in the summary.")
    else:
        conv.notice("Note removed.")


def jump_choices(conv: Conversation) -> list[tuple[str, str]]:
    out = []
    for row in conv.a.progress():
        state = f"{row.answered} of {row.asked} answered" if row.asked else "not started"
        out.append((row.dimension, f"{row.title} ({state})"))
    return out


def _jump(conv: Conversation, arg: str | None) -> None:
    a = conv.a
    choices = jump_choices(conv)
    if arg is None:
        conv.ask(ask("jump", "choice", "Jump to a dimension", choices=choices))
        return
    wanted = arg.strip().lower()
    dims = [d for d, _ in choices]
    match = [d for d in dims if d == wanted or a.bank.title_of(d).lower().startswith(wanted)]
    if not match:
        match = [d for d in dims if d.startswith(wanted)] if wanted else []
    if not match and (n := whole_number(wanted)) is not None and 1 <= n <= len(dims):
        match = [dims[n - 1]]
    if len(match) != 1:
        conv.notice(f"Which dimension? Type /jump with one of: {', '.join(dims)}.")
        return
    if conv.attempt(a.jump, match[0]) is not None:
        conv.reshow()
        conv.present()


def revise_choices(conv: Conversation, dimension: str | None = None) -> list[tuple[str, str]]:
    """Every answer that can be revised (or those of one dimension), grouped by dimension in the bank's order."""
    a = conv.a
    order = {phase: i for i, phase in enumerate(a.bank.phases())}
    asked = [qid for qid in a.session.history if a.is_relevant(qid)]
    asked = [qid for qid in asked if not dimension or a.phase_of(qid) == dimension]
    asked.sort(key=lambda qid: order.get(a.phase_of(qid), len(order)))  # stable: asked order within each
    out = []
    for qid in asked:
        q = a.bank.by_id[qid]
        where = a.bank.title_of(a.phase_of(qid))
        out.append((qid, f"{where} · {words.one_line(a.text_of(q))} → {answer_label(q, a.record_of(qid))}"))
    return out


def ask_revise(conv: Conversation, dimension: str | None = None) -> None:
    """Ask which answer to revise (``dimension``: only that dimension's, as a recap offers)."""
    choices = revise_choices(conv, dimension)
    if not choices:
        conv.notice("There is no answer to revise yet.")
        return
    conv.ask(ask("revise", "choice", "Which answer do you want to revise?", choices=choices))


def _revise(conv: Conversation, arg: str | None) -> None:
    a = conv.a
    if arg is None:
        ask_revise(conv)
        return
    wanted = arg.strip()
    qid = next((q for q in a.bank.by_id if q.lower() == wanted.lower()), wanted)
    if conv.attempt(a.revise, qid) is not None:
        conv.reshow()
        conv.present()


def _summary(conv: Conversation, arg: str | None) -> None:
    conv.emit(Turn("summary", final=conv.a.finished))


def _undo(conv: Conversation, arg: str | None) -> None:
    from conversation.undoing import undone_turn

    result = conv.attempt(conv.a.undo)
    if result is None or result.undone is None:
        return
    conv.emit(undone_turn(conv.a, result.undone))
    if result.undone.kind != "answer":
        if conv.intake is not None and result.undone.kind == "project":
            details.ask_again(conv, result.undone.key.split(","))  # as with an answer: back to the detail undone
        return
    conv.report_change(result)
    conv.reshow()
    conv.present()


def _finish(conv: Conversation, arg: str | None) -> None:
    a = conv.a
    if a.finished:
        conv.emit(Turn("summary", final=True))
        return
    if arg is None:
        conv.ask(
            ask(
                "finish",
                "choice",
                "Finish the assessment now?",
                body=f"{words.plural(len(a.tracker.pending), 'question')} still open will count as unanswered evidence gaps.",
                choices=[("keep", "Keep going"), ("finish", "Finish now")],
            )
        )
        return
    if arg.strip().lower() in ("finish", "now", "yes", "y", "2"):
        if conv.attempt(a.finish) is not None:
            conv.present(open_summary=True)
    else:
        conv.notice("Carrying on.")


def _project(conv: Conversation, arg: str | None) -> None:
    a = conv.a
    if arg is None:
        conv.ask(
            ask(
                "project",
                "text",
                "Project name",
                value=a.session.project.name,
                placeholder="e.g. Custody risk triage pilot",
            )
        )
        return
    before = a.path
    if conv.succeeds(a.set_project, arg.strip()):
        conv.emit(Turn("notice", (para("Project name set to: ", Strong(arg.strip())),), rich=False))
        conv.say_if_moved(before)


def _assessor(conv: Conversation, arg: str | None) -> None:
    a = conv.a
    if arg is None:
        conv.ask(
            ask(
                "assessor",
                "text",
                "Who is doing this assessment?",
                value=a.session.project.assessor,
                placeholder="Name, role",
            )
        )
        return
    if conv.succeeds(a.set_project, None, arg.strip()):
        conv.emit(Turn("notice", (para("Assessor set to: ", Strong(arg.strip())),), rich=False))


def _owner(conv: Conversation, arg: str | None) -> None:
    a = conv.a
    title = "Who owns the action from this answer?"
    q = _text_for_answer(conv, arg, "owner", title, a.session.owners, "Name or role")
    if q is None or arg is None:
        return
    if conv.succeeds(a.set_owner, q.id, arg):
        conv.notice(f"Owner of any action from this answer: {arg.strip()}" if arg.strip() else "Owner removed.")


def _details(conv: Conversation, arg: str | None) -> None:
    details.start(conv, again=True)


def _quit(conv: Conversation, arg: str | None) -> None:
    conv._reply.quit = True


def _group(conv: Conversation, arg: str | None) -> None:
    if arg is None:
        conv.ask(
            ask(
                "group",
                "text",
                "Group mode: who is answering?",
                body="Names separated by commas. Each answers every question in turn. (off: one answer per question.)",
                value=", ".join(conv.a.session.participants),
                placeholder="analyst, DPO, ops lead",
            )
        )
        return
    grouping.set_group(conv, arg)


def _tally(conv: Conversation, arg: str | None) -> None:
    q = conv.a.current
    assert q is not None
    if arg is None:
        conv.ask(
            ask(
                "tally",
                "tally",
                "A tally: how many chose each answer?",
                body=words.one_line(conv.a.text_of(q)),
                choices=[(o.id, o.label) for o in q.options],
                placeholder="1=3, 2=4",
                question_id=q.id,
            )
        )
        return
    grouping.tally(conv, arg)


def _facilitator(conv: Conversation, arg: str | None) -> None:
    conv.facilitator_notes = not conv.facilitator_notes
    q = conv.a.current
    key = conv.hint("notes").split(" or ")[0]
    if not conv.facilitator_notes:
        conv.notice(f"Facilitator notes are hidden ({key} shows them).")
    elif q is not None and q.facilitator:
        conv.emit(words.facilitator_turn(q.facilitator))
    else:
        conv.notice(f"Facilitator notes are shown under the questions that have one ({key} hides them).")


def _has_history(conv: Conversation) -> bool:
    return bool(conv.a.session.history)


def _can_undo(conv: Conversation) -> bool:
    return conv.a.can_undo


def _group_title(conv: Conversation) -> str:
    return "Group mode: change participants" if conv.group_mode else "Group mode…"


def _notes_title(conv: Conversation) -> str:
    return "Hide facilitator notes" if conv.facilitator_notes else "Show facilitator notes"


def _has_target(conv: Conversation) -> bool:
    return conv.note_target() is not None


def _tally_available(conv: Conversation) -> bool:
    q = conv.a.current
    return conv.group_mode and q is not None and q.kind in grp.TALLY_KINDS
