"""Group mode's turn-taking: each participant answers, then the group's answer is recorded with theirs.

Functions over a :class:`~conversation.core.Conversation` (its ``round`` holds the
answers collected for the current question). Participants' answers are checked as they
come in, so a bad one is refused at once rather than when the group's answer is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from conversation import group as grp
from conversation.replies import Prompt
from conversation.turns import Turn, note, para, said
from flows.engine import validate_value
from flows.group import unanimous
from question_banks.conditions import DONT_KNOW, SKIP, AnswerValue

if TYPE_CHECKING:
    from conversation.core import Conversation
    from question_banks.schema import Question


def start_group(conv: Conversation, names: list[str]) -> None:
    """Group mode from ``--group`` names, or from the session's participants; announce it."""
    a = conv.a
    if names and names != a.session.participants and not conv.succeeds(a.set_participants, names):
        return
    conv.group_mode = len(a.session.participants) >= 2
    conv.round = None
    if not conv.group_mode:
        return
    who = ", ".join(a.session.participants)
    tally = f"{conv.hint('tally')} takes a tally instead; " if conv.keys else "/tally takes a tally instead; "
    conv.emit(
        Turn(
            "group",
            (
                para(
                    f"Group mode: {who} answer each question in turn. When they differ, you see who said what and "
                    f"record what the group settles on; everyone's answers are kept. {tally}"
                    "/group changes the names, /group off turns it off."
                ),
            ),
            rich=False,
            tone="group",
        )
    )


def current_round(conv: Conversation, q: Question) -> grp.GroupRound:
    r = conv.round
    if r is None or r.question_id != q.id:
        r = conv.round = grp.GroupRound(q.id, list(conv.a.session.participants))
    return r


def group_prompt(conv: Conversation, q: Question) -> Prompt:
    a = conv.a
    r = current_round(conv, q)
    if r.settling:
        return Prompt(
            "question", question=q, initial=grp.majority(a.bank, q, r), title="The group's answer", settling=True
        )
    who = r.current
    turn = f"{r.index + 1} of {len(r.participants)}"
    if q.kind == "text":
        if r.draft is None:
            return Prompt("question", question=q, title=f"▶ {who}, scribe: write the group's answer ({turn})", who=who)
        return Prompt(
            "question",
            question=q,
            initial=r.draft,
            title=f"▶ {who}: Enter accepts the draft, or change it ({turn})",
            who=who,
        )
    record = a.record_of(q.id)
    earlier = record.by.get(who) if record is not None else None
    return Prompt(
        "question",
        question=q,
        initial=earlier if earlier not in (DONT_KNOW, SKIP) else None,
        title=f"▶ {who}'s turn ({turn})",
        who=who,
    )


def scribe_take(conv: Conversation, q: Question, r: grp.GroupRound, text: str) -> None:
    """Free text in a group: the first participant drafts it as scribe; each other accepts it or amends it."""
    who = r.current
    text = text.strip()
    if r.draft is None:
        conv.emit(said(f"{who} (scribe): {text}", tone="participant"))
    elif text == r.draft:
        conv.emit(said(f"{who} accepts the draft.", tone="participant"))
    else:
        conv.emit(said(f"{who} amends it: {text}", tone="participant"))
    r.draft = text
    r.take(text)
    if r.complete:
        amended = len(set(r.replies.values())) > 1
        conv.notice("Everyone has seen the final wording." if amended else f"All {len(r.replies)} accept it.")
        record_group(conv, q, text)
    else:
        conv.moved()


def group_take(
    conv: Conversation, kind: Literal["answer", "dont_know", "skip"], value: AnswerValue | None, typed: str | None
) -> bool:
    """Route an answer in group mode; False when group mode does not apply."""
    a = conv.a
    q = a.current
    if not conv.group_mode or q is None:
        return False
    r = current_round(conv, q)
    reply: AnswerValue = value if kind == "answer" and value is not None else DONT_KNOW if kind == "dont_know" else SKIP
    if r.settling:
        record_group(conv, q, reply, typed)
        return True
    if reply not in (DONT_KNOW, SKIP):
        try:
            reply = validate_value(q, reply)
        except Exception as exc:  # FlowError: the participant's answer does not fit
            if typed:
                conv.emit(said(typed))
            conv.notice(str(exc).removeprefix(f"{q.id}: "))
            return True
    who = r.current
    if q.kind == "text" and reply not in (DONT_KNOW, SKIP):
        scribe_take(conv, q, r, str(reply))
        return True
    r.take(reply)
    # Blind: what each said stays hidden until everyone has answered, so no one follows the first.
    conv.emit(said(f"{who} has answered.", tone="participant"))
    if r.complete:
        compare(conv, q)
    else:
        conv._reply.moved = True
    return True


def compare(conv: Conversation, q: Question) -> None:
    """Everyone has answered: record a unanimous answer, else show the spread and ask the group."""
    a = conv.a
    r = conv.round
    assert r is not None
    if not r.tally and len(grp.spread(a.bank, q, r.replies).groups) == 1:
        agreed = unanimous(r.replies)
        value = agreed if agreed is not None else next(iter(r.replies.values()))
        conv.notice(f"All {len(r.replies)} agree: {grp.reply_label(q, value)}.")
        record_group(conv, q, value)
        return
    r.settling = True
    skip, dont_know = conv.hint("skip"), conv.hint("dontknow")
    conv.emit(grp.spread_turn(a.bank, q, r, f"{skip.split(' or ')[0]} or {dont_know.split(' or ')[0]}"))
    conv._reply.moved = True


def record_group(conv: Conversation, q: Question, value: AnswerValue, typed: str | None = None) -> None:
    """Record the group's answer (or gap) with everyone's answers behind it."""
    a = conv.a
    r = conv.round
    assert r is not None
    by = dict(r.replies)
    before = len(conv._reply.turns)
    if value == DONT_KNOW:
        conv.record("dont_know", by=by, typed=typed)
    elif value == SKIP:
        conv.record("skip", by=by, typed=typed)
    else:
        conv.record("answer", value, by=by, typed=typed)
    recorded = any(t.kind == "acknowledgement" for t in conv._reply.turns[before:])
    if recorded:
        if r.tally and a.session.participants != r.participants:
            conv.succeeds(a.set_participants, r.participants)  # a tally's counts are not participants
        if conv.round is r:
            conv.round = None


def keep(conv: Conversation) -> None:
    """Enter on a question already answered: keep that answer (and everyone's behind it) and move on."""
    a = conv.a
    q = a.current
    record = a.record_of(q.id) if q is not None else None
    if q is None or record is None:
        return
    by = dict(record.by) or None
    if record.status == "answered":
        conv.record("answer", record.value, by=by)
    else:
        conv.record("dont_know" if record.status == "dont_know" else "skip", by=by)


def back_one(conv: Conversation) -> bool:
    """Group mode: back to the previous participant of this question; False when there is none."""
    r = conv.round
    q = conv.a.current
    if not conv.group_mode or r is None or q is None or r.question_id != q.id or not r.undo_one():
        return False
    conv.notice(f"Back to {r.current}'s answer.")
    conv._reply.moved = True
    return True


def set_group(conv: Conversation, text: str) -> None:
    if text.strip().lower() == "off":
        group_off(conv)
        return
    names = grp.parse_names(text)
    problem = grp.group_problem(names)
    if problem:
        conv.notice(problem)
        return
    start_group(conv, names)
    conv.reshow()
    conv.present()


def group_off(conv: Conversation) -> None:
    if not conv.group_mode:
        conv.notice("Group mode is not on.")
        return
    conv.group_mode = False
    conv.round = None
    conv.notice("Group mode is off: one answer per question from here. Earlier participants' answers are kept.")
    conv.present()


def tally(conv: Conversation, text: str) -> None:
    a = conv.a
    q = a.current
    if q is None or not conv.group_mode or q.kind not in grp.TALLY_KINDS:
        conv.notice("A tally is for group mode, on a question one option answers.")
        return
    counts = grp.parse_tally(q, text)
    if isinstance(counts, str):
        conv.notice(counts)
        return
    replies, weights = grp.tally_replies(q, counts)
    names = list(a.session.participants)
    r = conv.round = grp.GroupRound(q.id, names, replies, index=len(names), tally=weights)
    shown = ", ".join(f"{grp.reply_label(q, v)}: {k}" for k, v in replies.items())
    conv.emit(said(f"Tally: {shown}"))
    if len(replies) == 1:
        conv.emit(note("notice", "Everyone chose the same answer."))
        record_group(conv, q, next(iter(replies.values())))
        return
    compare(conv, q)
    assert conv.round is r
