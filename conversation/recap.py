"""A dimension's recap: its score (or the provisional impact tier), what it raised, and its actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conversation.group import recap_line
from conversation.turns import Block, Strong, Turn, item, para
from conversation.words import GAP_WORDS, RATING_WORDS, plural
from flows.summary import TIER_LABELS

if TYPE_CHECKING:
    from conversation.core import Conversation


def recap(conv: Conversation, dim: str) -> Turn:
    a = conv.a
    summary = a.summary(final=False)
    result = summary.dimension(dim)
    title = result.title
    blocks: list[Block]
    if dim == "complexity":
        blocks = [
            para(
                Strong(f"{title}: done."),
                " Provisional impact tier ",
                Strong(TIER_LABELS[summary.impact_tier]),
                f" ({RATING_WORDS[result.rating]}).",
            )
        ]
        blocks += [item(r) for r in summary.tier_reasons]
    elif result.max_score == 0:
        blocks = [para(Strong(f"{title}: done."), " Nothing here was scored.")]
    else:
        blocks = [
            para(
                Strong(f"{title}: done."),
                " Score ",
                Strong(f"{result.score_0_5}/5"),
                f", {RATING_WORDS[result.rating]}.",
            )
        ]
    issues = [item(f"Blocker: {f.message}") for f in summary.blockers if f.dimension == dim]
    issues += [item(f"Condition: {f.message}") for f in summary.conditions if f.dimension == dim]
    issues += [
        item(f"Evidence gap ({GAP_WORDS[g.reason]}): {g.text}") for g in summary.evidence_gaps if g.dimension == dim
    ]
    actions = [x for x in summary.actions if x.dimension == dim]
    if issues:
        blocks.append(para(f"{plural(len(issues), 'issue')} found:"))
        blocks += issues
    else:
        blocks.append(para("No issues found."))
    if actions:
        blocks.append(para(f"{plural(len(actions), 'action')} for the plan, e.g. {actions[0].action}"))
    group_line = recap_line(a, dim)
    if group_line:
        blocks.append(para(group_line))
    progress = next((p for p in a.progress() if p.dimension == dim), None)
    return Turn("recap", tuple(blocks), extra={"dimension": dim, "progress": progress})
