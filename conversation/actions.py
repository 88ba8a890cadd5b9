"""``/actions``: the action plan as a working document, in any front end.

``/actions`` lists the plan (the TUI opens its action-plan screen instead);
``/actions N owner NAME``, ``/actions N due DATE`` and ``/actions N status STATUS``
change one action (``N`` is its number in the list, or its id), and ``/actions N done``
(or ``open``, ``in progress``) is short for the status. Every change is saved at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conversation import words
from conversation.turns import Block, Strong, Turn, item, para
from flows.dates import describe_due
from flows.matching import whole_number
from flows.summary import Action
from flows.tracking import STATUS_WORDS, TrackingError, action_id, parse_status

if TYPE_CHECKING:
    from conversation.core import Conversation

FIELDS = {"owner": "owner", "who": "owner", "due": "due", "date": "due", "by": "due", "status": "status"}
USAGE = "/actions N owner NAME · /actions N due 2026-12-31 · /actions N status done (N: the action's number)"


def plan(conv: Conversation) -> list[Action]:
    return conv.a.summary(final=conv.a.finished).actions


def plan_turn(actions: list[Action]) -> Turn:
    """The plan as a numbered list: each action with its status, owner and due date."""
    if not actions:
        return Turn("actions", (para(Strong("Action plan: "), "nothing to do; the assessment raised no actions."),))
    blocks: list[Block] = [para(Strong(f"Action plan ({words.plural(len(actions), 'action')})"))]
    for n, a in enumerate(actions, 1):
        owner = words.one_line(a.owner) or "no owner"
        due = f"due {describe_due(a.due, words.one_line(a.due_written))}" if a.due or a.due_written else "no due date"
        blocks.append(
            item(
                Strong(f"{n}. [{STATUS_WORDS[a.status]}]"),
                f" {words.one_line(a.action)} ({owner}; {due}; {action_id(a)})",
            )
        )
    blocks.append(para(f"To change one: {USAGE}."))
    return Turn("actions", tuple(blocks), extra={"count": len(actions)})


def _find(actions: list[Action], ref: str) -> tuple[int, Action] | None:
    if (n := whole_number(ref)) is not None and 1 <= n <= len(actions):
        return n, actions[n - 1]
    for n, a in enumerate(actions, 1):
        if action_id(a).lower() == ref.lower():
            return n, a
    return None


def handle(conv: Conversation, arg: str | None) -> None:
    actions = plan(conv)
    words_in = (arg or "").split()
    if not words_in:
        conv.emit(plan_turn(actions))
        return
    found = _find(actions, words_in[0])
    if found is None:
        conv.notice(
            f"There is no action {words.one_line(words_in[0])}: the plan has {words.plural(len(actions), 'action')}. "
            f"Type /actions to list them."
        )
        return
    n, action = found
    rest = words_in[1:]
    field = FIELDS.get(rest[0].lower()) if rest else None
    if field is None:
        field, value = "status", " ".join(rest)
    else:
        value = " ".join(rest[1:])
    if field == "status":
        try:
            parse_status(value)
        except TrackingError:
            conv.notice(f"Say what to change about action {n}: {USAGE}.")
            return
    try:
        conv.succeeds(conv.a.track, action_id(action), *_args(field, value))
    except TrackingError as exc:
        conv.notice(str(exc))
        return
    updated = next(a for a in plan(conv) if action_id(a) == action_id(action))
    shown = {
        "owner": words.one_line(updated.owner) or "none (back to the owner from the answers, if any)",
        "due": updated.due or "none",
        "status": STATUS_WORDS[updated.status],
    }[field]
    conv.notice(f"Action {n} ({action_id(updated)}): {field} is now {shown}.")


def _args(field: str, value: str) -> tuple[str | None, str | None, str | None]:
    """``track``'s owner, due and status arguments for a change of ``field``."""
    return (
        value if field == "owner" else None,
        value if field == "due" else None,
        value if field == "status" else None,
    )
