"""Between two assessments of one project: which actions were closed, opened or moved on.

An action is *closed* when it was open (or in progress) before and is now either marked
done, or gone from the plan because the gap behind it closed. Actions are matched by
their stable id, so an action keeps its identity across re-assessments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.reports.text import one_line
from flows.summary import Action, Summary
from flows.tracking import STATUS_WORDS, action_id

HOW_WORDS = {"done": "marked done", "gap_closed": "gap closed: no longer needed"}


@dataclass
class ActionRef:
    id: str
    action: str
    priority: str
    owner: str
    status: str
    how: str = ""
    """For closed actions: ``done`` or ``gap_closed``."""
    old_status: str = ""
    """For status changes: the status before."""


@dataclass
class ActionChanges:
    closed: list[ActionRef] = field(default_factory=list)
    opened: list[ActionRef] = field(default_factory=list)
    status_changed: list[ActionRef] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.closed or self.opened or self.status_changed)


def _ref(a: Action, **extra: str) -> ActionRef:
    return ActionRef(action_id(a), a.action, a.priority, a.owner, a.status, **extra)


def compare_actions(old: Summary, new: Summary) -> ActionChanges:
    before = {action_id(a): a for a in old.actions}
    after = {action_id(a): a for a in new.actions}
    out = ActionChanges()
    for ident, a in before.items():
        b = after.get(ident)
        if a.status == "done":
            if b is not None and b.status != "done":
                out.status_changed.append(_ref(b, old_status=a.status))
            continue
        if b is None:
            out.closed.append(_ref(a, how="gap_closed"))
        elif b.status == "done":
            out.closed.append(_ref(b, how="done"))
        elif b.status != a.status:
            out.status_changed.append(_ref(b, old_status=a.status))
    out.opened = [_ref(b) for ident, b in after.items() if ident not in before]
    return out


def text_lines(changes: ActionChanges) -> list[str]:
    """The plain-text sections for ``ceder diff``."""
    out: list[str] = []

    def line(r: ActionRef, lead: str) -> str:
        owner = f" (owner: {one_line(r.owner)})" if r.owner.strip() else ""
        return f"  - {one_line(r.id)}{lead}: {one_line(r.action)}{owner}"

    if changes.closed:
        out += ["", f"Actions closed ({len(changes.closed)})"]
        out += [line(r, f", {HOW_WORDS[r.how]}") for r in changes.closed]
    if changes.opened:
        out += ["", f"Actions opened ({len(changes.opened)})"]
        out += [line(r, "") for r in changes.opened]
    if changes.status_changed:
        out += ["", f"Action status changed ({len(changes.status_changed)})"]
        out += [
            line(r, f", {STATUS_WORDS[r.old_status].lower()} → {STATUS_WORDS[r.status].lower()}")
            for r in changes.status_changed
        ]
    return out
