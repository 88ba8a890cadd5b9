"""Widgets of the walkthrough screen: the step track, the running scores, and the step cards.

Every piece of text (bank, scenario) is built as ``Content``, never parsed as markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from assistant.tui.text import RATING_WORDS, literal
from assistant.tui.widgets.progress import NAMES, RATING_STYLE, rating_text
from assistant.walkthrough import Raised, Step
from flows import Progress
from flows.summary import TIER_LABELS

GAP_WORDS = {"dont_know": "don't know", "skipped": "skipped", "unanswered": "not answered"}


def points_text(points: float | None, max_points: float | None, dimension: str) -> str:
    """``3 of 4 points`` (``risk points`` in complexity), or empty for an unscored question."""
    if points is None or not max_points:
        return ""
    unit = "risk points" if dimension == "complexity" else "points"
    return f"{points:g} of {max_points:g} {unit}"


class StepTrack(Widget):
    """One line: how far through the walkthrough we are, as a bar."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = 0
        self.total = 1

    def show(self, index: int, total: int) -> None:
        self.index, self.total = index, max(total, 1)
        self.refresh()

    def render(self) -> Content:
        width = max(self.size.width, 1)
        done = round(width * self.index / max(self.total - 1, 1))
        return Content.assemble(("━" * done, "$primary"), ("─" * (width - done), "$text-muted 50%"))


class RunningScores(Widget):
    """The running per-dimension scores and provisional ratings, with the impact tier and the flags so far."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Progress] = []
        self.current: str | None = None
        self.tier: int | None = None
        self.blockers = 0
        self.conditions = 0
        self.final = False

    def show(
        self, rows: Sequence[Progress], current: str | None, tier: int | None, blockers: int, conditions: int
    ) -> None:
        self.rows, self.current, self.tier = list(rows), current, tier
        self.blockers, self.conditions = blockers, conditions
        self.refresh(layout=True)

    def render(self) -> Content:
        lines: list[Content] = [Content.styled("Running scores", "bold"), Content("")]
        if not self.rows:
            lines.append(Content.styled("Scores appear as the questions are answered.", "$text-muted"))
        for row in self.rows:
            here = row.dimension == self.current
            lines.append(
                Content.assemble(
                    ("▶ " if here else "  "), (NAMES.get(row.dimension, row.title), "bold" if here else "")
                )
            )
            if row.asked:
                lines.append(Content(f"  {row.answered} of {row.asked} answered"))
            else:
                lines.append(Content.styled("  not reached yet", "$text-muted"))
            if row.rating:
                lines.append(Content.assemble("  ", ("● ", RATING_STYLE[row.rating]), rating_text(row, self.tier)))
            else:
                lines.append(Content.styled("  ○ not rated yet", "$text-muted"))
            lines.append(Content(""))
        lines.append(
            Content.assemble(
                ("Blockers ", "bold"),
                (str(self.blockers), "bold $text-error" if self.blockers else "$text-muted"),
                ("   Conditions ", "bold"),
                (str(self.conditions), "bold $text-warning" if self.conditions else "$text-muted"),
            )
        )
        return Content("\n").join(lines)


_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


def bank_text(text: str, style: str = "") -> Content:
    """Bank text with its Markdown emphasis (``*word*``, ``**word**``) shown as italic or bold, never as markup."""
    parts: list[tuple[str, str]] = []
    at = 0
    for m in _EMPHASIS.finditer(text):
        if m.start() > at:
            parts.append((text[at : m.start()], style))
        strong, em = m.group(1), m.group(2)
        parts.append((strong, f"{style} bold".strip()) if strong is not None else (em, f"{style} italic".strip()))
        at = m.end()
    parts.append((text[at:], style))
    return Content.assemble(*[(t, st) if st else t for t, st in parts if t])


def option_row(label: str, score: float | None, chosen: bool) -> Horizontal:
    """One option: a mark (● chosen, ○ not), its label (wrapping under itself), and its points."""
    pts = "" if score is None else f"{score:g}"
    mark = Content.styled("●", "bold $text-success") if chosen else Content.styled("○", "$text-muted")
    label = literal(label)
    text = Content.styled(label, "bold") if chosen else Content.styled(label, "$text-muted")
    points = Content.styled(pts, "bold $text-success" if chosen else "$text-muted")
    return Horizontal(
        Static(mark, classes="wt-mark"),
        Static(text, classes="wt-label"),
        Static(points, classes="wt-points"),
        classes="wt-option -chosen" if chosen else "wt-option",
    )


def panel(content: Content, classes: str) -> Static:
    return Static(content, classes=f"wt-panel {classes}")


def _flag_lines(raised: Sequence[Raised], cleared: Sequence[Raised]) -> list[Content]:
    lines = []
    for f in raised:
        style = "bold $text-error" if f.level == "blocker" else "bold $text-warning"
        word = "Blocker raised" if f.level == "blocker" else "Condition raised"
        lines.append(Content.assemble((f"⚠ {word}: ", style), f.message, (f"  ({f.question_id})", "$text-muted")))
    for f in cleared:
        word = "Blocker cleared" if f.level == "blocker" else "Condition cleared"
        lines.append(Content.assemble((f"✓ {word}: ", "bold $text-success"), f.message))
    return lines


def question_card(step: Step, dimension_of: dict[str, str], titles: dict[str, str]) -> list[Widget]:
    """The widgets for one question: the question, its options, the answer, why it is asked, what it brings."""
    q = step.question
    assert q is not None
    out: list[Widget] = []
    place = f"question {step.in_dimension[0]} of {step.in_dimension[1]} here"
    head = [(step.dimension_title.upper(), "bold $text-accent"), (f"   {place}", "$text-muted")]
    if q.is_follow_up:
        head.append(("   FOLLOW-UP", "bold $text-secondary"))
    out.append(Static(Content.assemble(*head), classes="wt-dimension"))
    text = " ".join(step.text.split())
    out.append(Static(Content.assemble((f"{q.id}  ", "$text-muted"), bank_text(text, "bold")), classes="wt-question"))
    if q.options:
        scored = q.scored and bool(q.max_points)
        options = [option_row(o.label, o.score if scored else None, o.id in step.chosen) for o in q.options]
        out.append(Vertical(*options, classes="wt-options"))
    answer_style = "bold" if step.status == "answered" else "bold $text-warning"
    lines = [Content.assemble(("The scenario's answer: ", "$text-muted"), (step.answer, answer_style))]
    pts = points_text(step.points, step.max_points, step.dimension)
    if pts:
        lines.append(Content.styled(f"Earns {pts}", "$text-success" if step.points else "$text-muted"))
    elif q.options and not (q.scored and q.max_points):
        lines.append(Content.styled("Not scored: it decides which questions follow.", "$text-muted"))
    if step.status in ("dont_know", "skipped", "open"):
        lines.append(Content.styled("An evidence gap: it counts as zero until it is answered.", "$text-warning"))
    if step.note:
        lines.append(Content.assemble(("Note: ", "bold"), " ".join(step.note.split())))
    out.append(panel(Content("\n").join(lines), "wt-answer"))
    if step.why:
        reasons = [
            Content.assemble(
                (w.question_id, "bold"), f" “{' '.join(w.text.split())}” was answered ", (f"“{w.answer}”", "bold")
            )
            for w in step.why
        ]
        body = Content.assemble(("Asked because ", "bold $text-secondary"), Content(" and ").join(reasons))
        if step.condition:
            body = Content.assemble(body, (f"\n(asked only when {step.condition})", "$text-muted"))
        out.append(panel(body, "wt-why"))
    if step.brings:
        n = len(step.brings)
        rows: list[Widget] = [
            Static(
                Content.styled(
                    f"This answer brings {n} follow-up question{'s' if n != 1 else ''}:", "bold $text-accent"
                )
            )
        ]
        for f in step.brings:
            dim = dimension_of.get(f.question_id, "")
            where = f"  ({titles.get(dim, dim)})" if dim and dim != step.dimension else ""
            rows.append(
                Static(
                    Content.assemble(
                        (f.question_id, "bold"), "  ", bank_text(" ".join(f.text.split())), (where, "$text-muted")
                    ),
                    classes="wt-item",
                )
            )
        out.append(Vertical(*rows, classes="wt-panel wt-brings"))
    flags = _flag_lines(step.raised, step.cleared)
    if flags:
        level = "wt-blocker" if any(f.level == "blocker" for f in step.raised) else "wt-condition"
        out.append(panel(Content("\n").join(flags), f"wt-flags {level}"))
    return out


def review_card(step: Step) -> list[Widget]:
    """A dimension's review: its score and rating, and what it raised."""
    s = step.summary
    assert s is not None
    result = s.dimension(step.dimension)
    out: list[Widget] = [
        Static(Content.assemble((f"{step.dimension_title.upper()}: DONE", "bold $text-accent")), classes="wt-dimension")
    ]
    style = RATING_STYLE[result.rating]
    if step.dimension == "complexity":
        headline = Content.assemble(
            "Provisional impact tier ",
            (f"{TIER_LABELS[s.impact_tier]}", "bold"),
            "  ",
            (f"● {RATING_WORDS[result.rating]}", f"bold {style}"),
            f"   {result.score:g} of {result.max_score:g} risk points",
        )
        detail = [Content(f"• {literal(r)}") for r in s.tier_reasons]
    elif result.max_score == 0:
        headline = Content("Nothing here was scored.")
        detail = []
    else:
        need = f"   (tier {TIER_LABELS[s.impact_tier]} needs {result.minimum_0_5}/5)" if result.minimum_0_5 else ""
        headline = Content.assemble(
            "Score ",
            (f"{result.score_0_5}/5", "bold"),
            "  ",
            (f"● {RATING_WORDS[result.rating]}", f"bold {style}"),
            need,
        )
        detail = []
    out.append(Static(headline, classes="wt-question"))
    if detail:
        out.append(Static(Content("\n").join(detail), classes="wt-options"))
    issues: list[Content] = []
    issues += [
        Content.assemble(("Blocker: ", "bold $text-error"), literal(f.message))
        for f in s.blockers
        if f.dimension == step.dimension
    ]
    issues += [
        Content.assemble(("Condition: ", "bold $text-warning"), literal(f.message))
        for f in s.conditions
        if f.dimension == step.dimension
    ]
    issues += [
        Content.assemble((f"Evidence gap ({GAP_WORDS[g.reason]}): ", "bold"), " ".join(literal(g.text).split()))
        for g in s.evidence_gaps
        if g.dimension == step.dimension
    ]
    if issues:
        n = len(issues)
        heading = Content.styled(f"{n} issue{'s' if n != 1 else ''} found here:", "bold")
        out.append(panel(Content("\n").join([heading, *issues]), "wt-flags wt-condition"))
    else:
        out.append(panel(Content("No blockers, conditions or evidence gaps here."), "wt-answer"))
    actions = [x for x in s.actions if x.dimension == step.dimension]
    if actions:
        n = len(actions)
        out.append(
            Static(
                Content.assemble(
                    (f"{n} action{'s' if n != 1 else ''} for the plan, first: ", "$text-muted"),
                    literal(actions[0].action),
                ),
                classes="wt-options",
            )
        )
    return out
