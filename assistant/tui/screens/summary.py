"""The readiness summary: verdict and reasons, impact tier, per-dimension bars, blockers, conditions,
the action plan by priority, evidence gaps and answers set aside (and, in group mode, where the group
disagreed); export to Markdown or JSON.

Dismisses with what the user wants next: "back", "revise", "revise:<id>", or None (close).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Markdown, Static

from assistant.tui.commands import PaletteCommand
from assistant.tui.screens.glance import LIST_AT_A_GLANCE, glance
from assistant.tui.screens.once import AnswersOnce
from assistant.tui.text import literal, md_escape
from assistant.tui.widgets.banner import ReadOnlyBanner
from assistant.tui.widgets.bars import DimensionBar
from conversation.progress import tier_is_provisional
from flows import Assessment, Summary
from flows.dates import describe_due
from flows.gates import priority_label
from flows.summary import PRIORITY_LABELS, TIER_LABELS

if TYPE_CHECKING:
    from assistant.tui.app import CederApp

PRIORITY_TITLES = PRIORITY_LABELS
GAP_WORDS = {"dont_know": "don't know", "skipped": "skipped", "unanswered": "not answered"}
EXPORTS = {
    "html": "The report as a web page (HTML), to print or share",
    "md": "The report as Markdown",
    "atrs": "Draft Algorithmic Transparency Recording Standard record (Markdown)",
    "atrs-json": "The ATRS draft as JSON, keyed by the standard's fields",
    "dpia": "Draft data protection impact assessment (Markdown)",
    "dpia-json": "The DPIA draft as JSON, keyed by its sections",
    "json": "The summary as JSON data",
    "csv": "The summary as CSV, for a spreadsheet",
}
MIME_TYPES = {"json": "application/json", "html": "text/html", "csv": "text/csv", "md": "text/markdown"}


def flags_markdown(title: str, flags: list[tuple[str, str]], empty: str) -> str:
    lines = [f"### {title}\n"]
    lines += [f"- {md_escape(msg)} *({md_escape(qid)})*" for qid, msg in flags] or [empty]
    return "\n".join(lines)


def body_markdown(summary: Summary, *, flags: bool = True) -> str:
    """Everything after the bars, as Markdown with every piece of text escaped (``flags``: with the
    blockers and conditions, which the summary screen shows at the top instead)."""
    parts = []
    if flags:
        parts += [
            flags_markdown("Blockers", [(f.question_id, f.message) for f in summary.blockers], "None."),
            flags_markdown("Conditions", [(f.question_id, f.message) for f in summary.conditions], "None."),
        ]
    plan = ["### Action plan\n"]
    if not summary.actions:
        plan.append("Nothing to do.")
    n = 0
    for priority in PRIORITY_TITLES:
        items = [x for x in summary.actions if x.priority == priority and not x.appendix]
        if not items:
            continue
        plan.append(f"\n**{priority_label(priority, summary.gate, summary.gate_label)}**\n")
        for x in items:
            n += 1
            due = describe_due(x.due, x.due_written)
            owner = f" (owner: {md_escape(x.owner)}{', due ' + md_escape(due) if due else ''})" if x.owner else ""
            plan.append(
                f"{n}. {md_escape(x.action)}{owner} *({md_escape(', '.join(x.question_ids or [x.question_id]))})*"
            )
    rest = sum(1 for x in summary.actions if x.appendix)
    if rest:
        plan.append(f"\n*{rest} more in the appendix of the report.*")
    parts.append("\n".join(plan))
    if summary.inconsistencies:
        parts.append(
            flags_markdown(
                "Answers to check", [(" and ".join(i.question_ids), i.message) for i in summary.inconsistencies], ""
            )
        )
    gaps = ["### Evidence gaps\n"]
    gaps += [
        f"- {md_escape(g.text)} *({GAP_WORDS[g.reason]}, {md_escape(g.question_id)})*" for g in summary.evidence_gaps
    ] or ["None."]
    parts.append("\n".join(gaps))
    if summary.set_aside:
        aside = ["### Answers set aside by revisions\n", "Kept in the file; they no longer apply and do not count.\n"]
        aside += [f"- {md_escape(s.text)} ({md_escape(s.answer_label)})" for s in summary.set_aside]
        parts.append("\n".join(aside))
    noted = [a for a in summary.answers if a.note]
    if noted:
        notes = ["### Notes and evidence\n"]
        notes += [f"- {md_escape(a.text)} **Note:** {md_escape(a.note)}" for a in noted]
        parts.append("\n".join(notes))
    if summary.bank is not None:
        parts.append(
            f"*{md_escape(summary.bank.title)} ({md_escape(summary.bank.version)}): {md_escape(summary.bank.provenance)}*"
        )
    return "\n\n".join(parts)


class SummaryScreen(AnswersOnce[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export_menu", "Export…"),
        Binding("m", "export('md')", "Export .md", show=False),
        Binding("h", "export('html')", "Export .html", show=False),
        Binding("j", "export('json')", "Export .json", show=False),
        Binding("a", "actions", "Action plan"),
        Binding("r", "revise", "Revise"),
        Binding("b", "back", "Back"),
        Binding("escape", "close", "Close"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, assessment: Assessment, *, final: bool) -> None:
        super().__init__()
        self.assessment = assessment
        self.final = final
        self.summary = assessment.summary(final=final)

    @property
    def ceder(self) -> CederApp:
        return cast("CederApp", self.app)

    def compose(self) -> ComposeResult:
        s = self.summary
        name = " ".join(literal(s.project.name).split())
        heading = "Readiness summary" if self.final else "Summary so far (provisional: open questions not counted)"
        banner = ReadOnlyBanner()
        banner.show_for(self.assessment)
        yield banner
        yield Static(Content.assemble((heading, "bold"), (f" · {name}" if name else "", "")), id="summary-title")
        with VerticalScroll(id="summary-body"):
            yield from glance(s, tier_provisional=tier_is_provisional(self.assessment) and not self.final)
            tier_md = [f"- {md_escape(r)}" for r in s.tier_reasons]
            if s.tier_demands:
                tier_md.append(f"\n**What tier {TIER_LABELS[s.impact_tier]} demands:**\n")
                tier_md += [f"- {md_escape(d)}" for d in s.tier_demands]
            yield Markdown("\n".join(tier_md), classes="summary-md")
            yield Static(Content("Dimensions"), classes="section-title")
            for result in s.dimensions:
                yield DimensionBar(result, s.impact_tier)
            spreads = self.assessment.disagreements()
            if spreads:  # group mode: where the participants' answers differed, widest first
                from assistant.tui.screens.group import disagreements_markdown

                yield Markdown(disagreements_markdown(spreads), classes="summary-md", id="summary-disagreements")
            yield Static(Content("The full summary"), classes="section-title")
            if s.verdict_reasons:
                reasons = "\n".join(f"- {md_escape(r)}" for r in s.verdict_reasons)
                yield Markdown(f"### Why this verdict\n\n{reasons}", classes="summary-md")
            cut = max(len(s.blockers), len(s.conditions)) > LIST_AT_A_GLANCE  # then the full lists are below
            yield Markdown(body_markdown(s, flags=cut), classes="summary-md", id="summary-details")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#summary-body").focus()

    def export_name(self, fmt: str) -> str:
        from assistant.reports import EXTENSIONS

        path = getattr(self.ceder.screen_stack[0], "session_path", None)
        stem = Path(path).stem if path else "ceder"
        ending = EXTENSIONS.get(fmt, f".{fmt}")
        return f"{stem}-summary{ending}" if ending.startswith(".") else f"{stem}{ending}"

    def action_export(self, fmt: str) -> None:
        from assistant.reports import render

        text = render(self.summary, fmt, self.assessment.bank.documents)
        name = self.export_name(fmt)
        # The safe writer in a terminal (never over a file or through a link); a download in a browser.
        self.ceder.export_text(name, text, MIME_TYPES.get(name.rsplit(".", 1)[-1], "text/plain"))

    def action_export_menu(self) -> None:
        from assistant.tui.screens.dialogs import ChoiceDialog, numbered

        async def chosen(fmt: str | None) -> None:
            if fmt is not None:
                self.action_export(fmt)

        choices = numbered(list(EXPORTS.items()))
        self.app.push_screen(ChoiceDialog("Export", choices, body="Saved to your Downloads folder"), chosen)

    def action_actions(self) -> None:
        """Open the action plan to edit it; the summary is redrawn with the edits when it closes."""
        from assistant.tui.screens.actions import ActionPlanScreen

        def back(_: None) -> None:
            self.summary = self.assessment.summary(final=self.final)
            self.refresh(recompose=True)

        self.app.push_screen(ActionPlanScreen(self.assessment, final=self.final), back)

    def action_revise(self) -> None:
        self.dismiss("revise")

    def action_back(self) -> None:
        self.dismiss("back")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_quit(self) -> None:
        self.app.exit()

    def palette_commands(self) -> list[PaletteCommand]:
        cmds: list[PaletteCommand] = [
            *[
                (f"Export: {label}", f"Save or download ({fmt})", partial(self.action_export, fmt))
                for fmt, label in EXPORTS.items()
            ],
            ("Revise an answer", "Pick an answer to change (r)", self.action_revise),
            ("Back to the last question", "Go back and revise (b)", self.action_back),
            ("Close the summary", "Back to the conversation (Escape)", self.action_close),
        ]
        return cmds + self.ceder.app_palette_commands()
