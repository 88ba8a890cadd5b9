"""What ``/undo`` says it took back, for each kind of change (see :mod:`flows.history`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conversation import words
from conversation.details import LABELS
from conversation.turns import Strong, Turn, para
from flows.session import ActionEdit, AnswerRecord, Project
from flows.tracking import STATUS_WORDS
from flows.verdict import answer_label

if TYPE_CHECKING:
    from flows.engine import Assessment
    from flows.history import Edit


def undone_turn(a: Assessment, edit: Edit) -> Turn:
    """One turn naming the change taken back and what is recorded now."""
    key = edit.key
    if edit.kind == "answer":
        q = a.bank.by_id[key]
        text = f"“{words.one_line(q.text)}”"
        record = a.record_of(key)
        if isinstance(edit.before, AnswerRecord) and record is not None:
            said = para(f"Put back your earlier answer to {text}: ", Strong(answer_label(q, record)), ".")
        else:
            said = para(f"Took back your answer to {text}: it is open again.")
        return Turn("undone", (said,), question_id=key)
    if edit.kind == "project":
        assert isinstance(edit.before, Project)
        fields = key.split(",")
        shown = [f"{_detail(f)} {_value(getattr(edit.before, f, ''))}" for f in fields]
        said = para(f"Put back the project's earlier {'; '.join(shown)}.")
        return Turn("undone", (said,))
    if edit.kind == "action":
        before = edit.before if isinstance(edit.before, ActionEdit) else ActionEdit()
        state = (
            f"owner {_value(before.owner or '', 'from the answers')}, due {_value(before.due or '', 'not set')}, "
            f"status {STATUS_WORDS[before.status] if before.status else 'as derived'}"
        )
        return Turn("undone", (para(f"Took back your last change to action {key}: now {state}."),))
    what = "note" if edit.kind == "note" else "owner"
    where = a.bank.by_id.get(key)
    about = f"“{words.one_line(where.text)}”" if where is not None else key
    if isinstance(edit.before, str):
        said = para(f"Put back the earlier {what} on {about}: ", Strong(words.one_line(edit.before)), ".")
    else:
        said = para(f"Took back the {what} on {about}.")
    return Turn("undone", (said,), question_id=key if where is not None else None)


def _detail(field: str) -> str:
    """A project detail's name inside a sentence ("the project's earlier name")."""
    return "name" if field == "name" else LABELS.get(field, field).lower()


def _value(text: str, empty: str = "(none)") -> str:
    text = words.one_line(text)
    return f"“{text}”" if text else empty
