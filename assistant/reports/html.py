"""The summary as one self-contained HTML file: inline CSS and SVG, no scripts, no external assets."""

from __future__ import annotations

from typing import Any

from assistant.reports.templating import html_env, version
from assistant.reports.view import FLAG_WORDS, TIER_MEANING, ReportView, build_view
from flows.summary import TIER_LABELS, Summary

FILL = {"red": "#c62828", "amber": "#e69500", "green": "#2e7d32"}
TEXT = {"red": "#b3261e", "amber": "#7a4b00", "green": "#1b5e20"}
TINT = {"red": "#fbe9e7", "amber": "#fff3d6", "green": "#e6f4e7"}
TIER_COLOURS = {1: "green", 2: "amber", 3: "amber", 4: "red"}


def _gauge(view: ReportView) -> dict[str, Any]:
    """Four tier segments, I to IV, with the project's tier outlined and pointed at."""
    width, gap = 640, 6
    seg_w = (width - 3 * gap) / 4
    segments = []
    for i, tier in enumerate((1, 2, 3, 4)):
        x = i * (seg_w + gap)
        current = tier == view.tier
        colour = TIER_COLOURS[tier]
        segments.append(
            {
                "x": round(x, 1),
                "w": round(seg_w, 1),
                "cx": round(x + seg_w / 2, 1),
                "label": f"Tier {TIER_LABELS[tier]}",
                "meaning": TIER_MEANING[tier],
                "current": current,
                "fill": FILL[colour] if current else TINT[colour],
                "stroke": "#1b1f24" if current else FILL[colour],
                "stroke_width": 3 if current else 1,
                "text": ("#000" if colour == "amber" else "#fff") if current else TEXT[colour],
            }
        )
    return {"width": width, "height": 86, "segments": segments}


def _chart(view: ReportView) -> dict[str, Any]:
    """Horizontal bars: each dimension's share of its maximum, with the tier minimum marked."""
    x0, span, bar_h, step, top = 190, 330, 22, 46, 26
    width = x0 + span + 130
    bars = []
    for i, d in enumerate(view.dimensions):
        share = (d.percent or 0.0) / 100
        min_x = None
        if d.minimum != "—" and not d.is_impact:
            minimum = int(d.minimum.split("/")[0])
            # A 0-5 score of m needs a share of at least (m - 0.5) / 5 (half up).
            min_x = round(x0 + span * max(0.0, min(1.0, (minimum - 0.5) / 5)), 1)
        if d.is_impact:
            value = f"{d.percent_text} risk · tier {view.tier_label}"
            subtitle = "impact (longer = riskier)"
        else:
            value = f"{d.percent_text} · {d.score_0_5}" if d.percent is not None else "nothing scored"
            subtitle = f"{d.score} of {d.max_score} points"
        short = d.title
        if len(short) > 24:
            short = short.split(" and ")[0]
        bars.append(
            {
                "title": d.title,
                "short": short,
                "subtitle": subtitle,
                "y": top + i * step,
                "w": round(span * max(0.0, min(1.0, share)), 1),
                "fill": FILL[d.rating],
                "text": TEXT[d.rating],
                "rating_word": d.rating_word,
                "value_text": value,
                "min_x": min_x,
            }
        )
    ticks = [{"x": round(x0 + span * p / 100, 1), "label": f"{p}%"} for p in (0, 25, 50, 75, 100)]
    bottom = top + len(bars) * step - (step - bar_h)
    return {
        "width": width,
        "height": bottom + 16,
        "x0": x0,
        "span": span,
        "bar_h": bar_h,
        "top": top,
        "bottom": bottom,
        "label_x": x0 + span + 12,
        "bars": bars,
        "ticks": ticks,
    }


def render(summary: Summary) -> str:
    view = build_view(summary)
    template = html_env().get_template("report.html.j2")
    return template.render(v=view, gauge=_gauge(view), chart=_chart(view), flag_words=FLAG_WORDS, version=version())
