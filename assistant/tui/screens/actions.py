"""The action plan as a working document: move through the actions and set each one's owner, due date and status.

Arrows move, Enter offers what to change, and ``o`` / ``d`` / ``s`` go straight to the
owner, the due date or the status. Every change is saved in the session at once
(keyed by the action's stable id), so it survives re-running and revising the
assessment and shows in every report.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from assistant.reports.text import long_date, one_line
from assistant.tui.screens.dialogs import ChoiceDialog, TextDialog, numbered
from assistant.tui.screens.once import AnswersOnce
from assistant.tui.widgets.banner import ReadOnlyBanner
from flows import Assessment, FlowError
from flows.gates import priority_label
from flows.summary import Action
from flows.tracking import STATUS_WORDS, STATUSES, TrackingError, action_id

COLUMNS = ("#", "Status", "Owner", "Due", "Priority", "Action")
"""The action's text last: it takes what width is left, so owner and due always show."""
OWNER_WIDTH = 24
EDITS = (("owner", "Owner"), ("due", "Due date"), ("status", "Status"))
PROMPTS = {
    "owner": ("Owner", "A name or role; empty goes back to the owner from the answers"),
    "due": ("Due date", "2026-12-31, 31/12/2026, 31 Dec 2026, December 2026 or Q4 2026; empty clears it"),
}


def due_cell(a: Action) -> str:
    """The table's due column: the date, or the plan answer's words marked as not a date."""
    if a.due:
        return long_date(a.due)
    return f"? {_clip(one_line(a.due_written), OWNER_WIDTH - 2)}" if a.due_written else "—"


def due_words(a: Action) -> str:
    """The due date in full for the detail line, with the words it was read from."""
    written = one_line(a.due_written)
    if a.due:
        return long_date(a.due) + (f" (written “{written}”)" if written else "")
    return f"“{written}” (not a date: set one with d)" if written else "not set"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def status_counts(actions: list[Action]) -> str:
    counts = {s: sum(1 for a in actions if a.status == s) for s in STATUSES}
    return " · ".join(f"{counts[s]} {STATUS_WORDS[s].lower()}" for s in STATUSES)


class ActionPlanScreen(AnswersOnce[None]):
    """Every action of the plan in a table, editable in place; Escape goes back."""

    CSS_PATH = "actions.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "edit('owner')", "Owner"),
        Binding("d", "edit('due')", "Due date"),
        Binding("s", "edit('status')", "Status"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, assessment: Assessment, *, final: bool | None = None) -> None:
        super().__init__()
        self.assessment = assessment
        self.final = final
        self.actions: list[Action] = []

    def compose(self) -> ComposeResult:
        banner = ReadOnlyBanner()
        banner.show_for(self.assessment)
        yield banner
        yield Static(id="actions-title")
        yield DataTable(id="actions-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="actions-detail")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        self.reload()
        table.focus()

    def reload(self) -> None:
        """Rebuild the table from a fresh summary, keeping the cursor on the same row."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        summary = self.assessment.summary(final=self.final)
        self.actions = summary.actions
        table.clear()
        for n, a in enumerate(self.actions, 1):
            table.add_row(
                str(n),
                STATUS_WORDS[a.status],
                Text(_clip(one_line(a.owner), OWNER_WIDTH) or "—"),
                Text(due_cell(a)),
                priority_label(a.priority, summary.gate, summary.gate_label, a.gate),
                Text(one_line(a.action)),
                key=action_id(a),
            )
        if self.actions:
            table.move_cursor(row=min(row, len(self.actions) - 1))
        total = len(self.actions)
        title = f"Action plan · {total} action{'s' if total != 1 else ''}"
        if total:
            title += f" ({status_counts(self.actions)})"
        self.query_one("#actions-title", Static).update(Content(title))
        self.show_detail()

    def current(self) -> Action | None:
        table = self.query_one(DataTable)
        if not self.actions:
            return None
        return self.actions[min(table.cursor_row, len(self.actions) - 1)]

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        a = self.current()
        detail = self.query_one("#actions-detail", Static)
        if a is None:
            detail.update(Content("Nothing to do: the assessment raised no actions."))
            return
        edits = self.assessment.session.actions.get(action_id(a))
        mine = {k for k in ("owner", "due", "status") if edits is not None and getattr(edits, k) is not None}
        questions = ", ".join(getattr(a, "question_ids", []) or [a.question_id])

        def said(key: str, value: str) -> str:
            return value + (" (set here)" if key in mine else "")

        lines = [
            one_line(a.action),
            f"From: {questions}" + (f" · {a.dimension}" if a.dimension and a.dimension != questions else ""),
            f"Owner: {said('owner', one_line(a.owner) or 'not recorded')} · "
            f"Due: {said('due', due_words(a))} · "
            f"Status: {said('status', STATUS_WORDS[a.status])}",
            "Enter: change · o owner · d due date · s status · Ctrl+Z undo · Escape: back",
        ]
        detail.update(Content("\n".join(lines)))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        a = self.current()
        if a is None:
            return

        def chosen(what: str | None) -> None:
            if what:
                self.action_edit(what)

        self.app.push_screen(ChoiceDialog(f"Change action {self._number(a)}", numbered(list(EDITS))), chosen)

    def _number(self, a: Action) -> int:
        return self.actions.index(a) + 1

    def action_edit(self, what: str) -> None:
        a = self.current()
        if a is None:
            return
        ident = action_id(a)
        n = self._number(a)

        shown = {"owner": a.owner, "due": a.due, "status": a.status}[what]

        def save(value: str | None) -> None:
            if value is None or value.strip() == shown.strip():
                return  # cancelled, or left as it was (a due date from the answers may be free text)
            try:
                self.assessment.track(ident, **{what: value})
            except TrackingError as exc:
                self.notify(str(exc), severity="error", title="Not saved")
                return
            except FlowError as exc:  # read-only (another ceder has the session), or the save failed
                self.notify(f"Not changed: {exc}", severity="error", title="Not saved", markup=False)
                return
            self.reload()

        if what == "status":
            choices = numbered([(s, STATUS_WORDS[s]) for s in STATUSES])
            self.app.push_screen(ChoiceDialog(f"Status of action {n}", choices, initial=a.status), save)
        else:
            label, placeholder = PROMPTS[what]
            value = a.owner if what == "owner" else a.due or a.due_written
            dialog = TextDialog(f"{label} of action {n}", body=one_line(a.action), value=value, placeholder=placeholder)
            self.app.push_screen(dialog, save)

    def action_undo(self) -> None:
        """Take back the last change if it was to the plan; any other change is undone in the conversation."""
        from flows import FlowError

        last = self.assessment.last_change
        if last is None:
            self.notify("Nothing to undo.", markup=False)
            return
        if last.kind != "action":
            self.notify(
                "The last change was not to the action plan: press Escape, then Ctrl+Z, to undo it in the conversation.",
                markup=False,
            )
            return
        try:
            self.assessment.undo()
        except FlowError as exc:
            self.notify(str(exc), severity="error", title="Not undone", markup=False)
            return
        self.reload()
        self.notify(f"Took back your last change to action {last.key}.", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
