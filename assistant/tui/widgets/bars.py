"""A per-dimension bar for the summary: the share of the maximum, with the rating in words."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget

from assistant.tui.text import RATING_WORDS
from assistant.tui.widgets.progress import RATING_STYLE
from flows.summary import TIER_LABELS, DimensionResult

BAR_WIDTH = 20


class DimensionBar(Widget):
    """Two lines: ``Ethics  ● Amber`` then ``████████░░░░  3/5 (tier needs 3) · 2 of 3 answered``."""

    def __init__(self, result: DimensionResult, tier: int) -> None:
        super().__init__(classes="dimension-bar")
        self.result = result
        self.tier = tier

    def render(self) -> Content:
        r = self.result
        share = (r.percent or 0.0) / 100 if r.max_score else 0.0
        filled = round(share * BAR_WIDTH)
        started = bool(r.answered or r.max_score)
        # A dimension not reached yet has no rating to show: "Red" would read as a finding.
        rating = r.rating if started else None
        style = RATING_STYLE[rating]
        if not started:
            detail = "not started"
        elif r.id == "complexity":
            detail = f"{r.score:g} of {r.max_score:g} risk points · tier {TIER_LABELS[self.tier]}"
        elif r.max_score == 0:
            detail = "nothing scored yet"
        else:
            detail = f"{r.score_0_5}/5"
            if r.minimum_0_5 is not None:
                detail += f" (tier needs {r.minimum_0_5})"
        counts = f"{r.answered} of {r.asked} answered"
        return Content.assemble(
            (r.title, "bold"),
            "  ",
            (f"{'●' if started else '○'} {RATING_WORDS[rating]}", f"bold {style}"),
            "\n",
            ("█" * filled, style),
            ("░" * (BAR_WIDTH - filled), "$text-muted"),
            f"  {detail} · {counts}",
        )
