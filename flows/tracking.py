"""The action plan as a working document: the user's owner, due date and status for each action.

The plan itself is derived from the answers on every run; what the user says about an
action (who owns it, when it is due, how far it has got) is kept in the session under the
action's stable id and laid over the derived values, so it survives re-running and
revising the assessment, and travels with the session into a re-assessment.
"""

from __future__ import annotations

from typing import get_args

from flows.dates import read_date
from flows.session import ActionEdit, Session, now
from flows.summary import Action, ActionStatus

STATUSES: tuple[ActionStatus, ...] = get_args(ActionStatus)
STATUS_WORDS: dict[str, str] = {"open": "Open", "in_progress": "In progress", "done": "Done"}
_STATUS_SYNONYMS: dict[str, ActionStatus] = {
    "open": "open",
    "todo": "open",
    "to do": "open",
    "not started": "open",
    "reopen": "open",
    "in progress": "in_progress",
    "in_progress": "in_progress",
    "progress": "in_progress",
    "started": "in_progress",
    "doing": "in_progress",
    "under way": "in_progress",
    "underway": "in_progress",
    "done": "done",
    "closed": "done",
    "complete": "done",
    "completed": "done",
    "finished": "done",
}


class TrackingError(ValueError):
    """An owner, due date or status the user typed that cannot be recorded; the message says why."""


def action_id(action: Action) -> str:
    """The action's stable id (the question it comes from, for plans made before ids existed)."""
    return action.id or action.question_id


def parse_status(text: str) -> ActionStatus:
    key = " ".join(text.lower().replace("-", " ").split())
    if key in _STATUS_SYNONYMS:
        return _STATUS_SYNONYMS[key]
    raise TrackingError(f"Unknown status {text.strip()!r}: use open, in progress or done.")


def parse_due(text: str) -> str:
    """A due date as ISO (``2026-12-31``), from any form :mod:`flows.dates` reads; empty clears it."""
    text = text.strip()
    if not text:
        return ""
    day = read_date(text)
    if day is None:
        raise TrackingError(
            f"{text!r} is not a date: write it as 2026-12-31, 31/12/2026, 31 Dec 2026, December 2026 or Q4 2026 "
            "(day first; an empty due date clears it)."
        )
    return day.isoformat()


def edit(
    session: Session,
    ident: str,
    owner: str | None = None,
    due: str | None = None,
    status: str | None = None,
) -> ActionEdit:
    """Record the user's owner, due date and/or status for action ``ident`` (``None`` leaves one unchanged).

    An empty owner or due date drops the user's value, so the one derived from the
    answers shows again. Raises :class:`TrackingError` for a date or status it cannot read.
    """
    old = session.actions.get(ident, ActionEdit())
    changes: dict[str, object] = {"at": now()}
    if owner is not None:
        changes["owner"] = " ".join(owner.split()) or None
    if due is not None:
        changes["due"] = parse_due(due) or None
    if status is not None:
        changes["status"] = parse_status(status)
    new = old.model_copy(update=changes)
    if new.owner is None and new.due is None and new.status is None:
        session.actions.pop(ident, None)
    else:
        session.actions[ident] = new
    return new


def apply(actions: list[Action], session: Session) -> list[Action]:
    """``actions`` with the user's edits laid over their derived owner, due date and status."""
    out = []
    for a in actions:
        e = session.actions.get(action_id(a))
        if e is not None:
            update = {k: v for k in ("owner", "due", "status") if (v := getattr(e, k)) is not None}
            if "due" in update:
                update["due_written"] = ""  # the user's own date replaces the plan answer's words
            a = a.model_copy(update=update)
        out.append(a)
    return out
