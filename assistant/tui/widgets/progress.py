"""Progress per dimension, always visible: a sidebar on wide terminals, a one-line strip on narrow ones.

Each dimension shows how many questions were asked and answered and its
provisional rating, in words as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget

from assistant.tui.text import RATING_WORDS

if TYPE_CHECKING:
    from assistant.tui.opening import ProgressRow
    from flows import Progress

RATING_STYLE: dict[str | None, str] = {"red": "$error", "amber": "$warning", "green": "$success", None: "$text-muted"}
SHORT_NAMES = {"complexity": "Cplx", "ethics": "Eth", "data": "Data", "efficacy": "Eff", "readiness": "Rdy"}
NAMES = {
    "complexity": "Complexity",
    "ethics": "Ethics",
    "data": "Data",
    "efficacy": "Efficacy",
    "readiness": "Readiness",
}


class _ProgressView(Widget):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[ProgressRow | Progress] = []
        self.current: str | None = None
        self.tier: int | None = None
        self.provisional = True
        self.where = ""

    def show(
        self,
        rows: Sequence[ProgressRow | Progress],
        current: str | None,
        tier: int | None,
        *,
        provisional: bool = True,
        where: str = "",
    ) -> None:
        """``where``: "Question N of about M, about K minutes left"; ``provisional``: the tier may still change."""
        self.rows = list(rows)
        self.current = current
        self.tier = tier
        self.provisional = provisional
        self.where = where
        self.refresh(layout=True)


def rating_text(row: Progress | ProgressRow, tier: int | None, style: str = "full", provisional: bool = False) -> str:
    """The provisional rating: ``full`` (score and word), ``word``, or ``letter`` (R/A/G)."""
    if row.rating is None:
        return "–"
    word = RATING_WORDS[row.rating]
    if style == "letter":
        word = word[0]
    if row.dimension == "complexity" and tier is not None:
        from flows.summary import TIER_LABELS  # only once a tier is known: not on the first screen

        roman = TIER_LABELS.get(tier, str(tier))
        if style == "full":
            return f"tier {roman} {word}" + (" (provisional)" if provisional else "")
        return f"T{roman}{'?' if provisional else ''} {word}"
    if row.score_0_5 is not None and style == "full":
        return f"{row.score_0_5}/5 {word}"
    return word


class ProgressStrip(_ProgressView):
    """One line: each dimension's answered/asked count and rating, shortened to fit the width."""

    FORMATS = (("names", "full"), ("names", "word"), ("short", "word"), ("short", "letter"))

    def render(self) -> Content:
        width = self.size.width or 80
        line = Content("")
        for names, style in self.FORMATS:
            line = self._line(NAMES if names == "names" else SHORT_NAMES, style)
            if line.cell_length <= width:
                break
        return line

    def _line(self, names: dict[str, str], style: str) -> Content:
        parts: list[Content] = []
        for row in self.rows:
            name_style = "bold reverse" if row.dimension == self.current else "bold"
            counts = f"{row.answered}/{row.asked} " if row.asked else ""
            parts.append(
                Content.assemble(
                    (f" {names[row.dimension]} ", name_style),
                    f" {counts}",
                    (rating_text(row, self.tier, style, self.provisional), RATING_STYLE[row.rating]),
                )
            )
        return Content(" │").join(parts) if parts else Content("")


class ProgressSidebar(_ProgressView):
    """Several lines per dimension: title, counts and provisional rating."""

    def render(self) -> Content:
        lines: list[Content] = [Content.styled("Progress", "bold")]
        if self.where:
            number, _, left = self.where.partition(", ")
            lines += [Content(number), Content.styled(left, "$text-muted")]
        lines.append(Content(""))
        for row in self.rows:
            marker = "▶ " if row.dimension == self.current else "  "
            lines.append(Content.assemble(marker, (NAMES[row.dimension], "bold" if marker.strip() else "")))
            if row.asked:
                todo = f" · {row.remaining} left" if row.remaining else ""
                lines.append(Content(f"  {row.answered}/{row.asked} answered{todo}"))
            else:
                lines.append(Content.styled("  not started", "$text-muted"))
            lines.append(
                Content.assemble("  ", ("● ", RATING_STYLE[row.rating]), rating_text(row, self.tier))
                if row.rating
                else Content.styled("  ○ not rated yet", "$text-muted")
            )
            if row.rating and row.dimension == "complexity" and self.provisional:
                lines.append(Content.styled("    provisional", "$text-muted"))
            lines.append(Content(""))
        return Content("\n").join(lines)
