"""Per-dimension results: share, 0-5 score and rating, and the shortfalls against the tier's minimums.

The arithmetic is documented for users in docs/scoring.md (sections 4 and 6); keep the two in step.
"""

from __future__ import annotations

import math

from flows.gates import Position
from flows.plan import Minimum
from flows.scoring import IMPACT
from flows.session import AnswerRecord
from flows.summary import TIER_LABELS, DimensionResult, Flag, Rating
from question_banks.schema import DIMENSIONS, Bank


def score_0_5(share: float) -> int:
    """Round half up, so 50% is 3 rather than banker's 2."""
    return math.floor(5 * share + 0.5)


def rating_for(bank: Bank, share: float | None) -> Rating:
    if share is None:
        return "red"
    if share >= bank.scoring.green_from:
        return "green"
    if share >= bank.scoring.amber_from:
        return "amber"
    return "red"


def tier_rating(tier: int) -> Rating:
    return "green" if tier == 1 else "red" if tier == 4 else "amber"


def dimension_results(
    bank: Bank,
    asked: list[str],
    answers: dict[str, AnswerRecord],
    totals: dict[str, list[float]],
    tier: int,
    pos: Position,
    open_dims: set[str],
    held: set[str],
    gains: dict[str, list[tuple[str, float]]],
) -> tuple[list[DimensionResult], list[Minimum]]:
    """Per-dimension results, and the tier-minimum shortfalls.

    At tiers III-IV, once the pilot gate is reached, a dimension two or more points short of its
    minimum, or any shortfall when two or more dimensions fall short, blocks. A dimension holding a
    blocker (``held``) is never rated Green, whatever its score.
    """
    dimensions: list[DimensionResult] = []
    short: list[tuple[str, int, int, float, float]] = []
    for dim in DIMENSIONS:
        qs_asked = [qid for qid in asked if bank.dimension_of[qid] == dim]
        answered = sum(1 for qid in qs_asked if qid in answers and answers[qid].status == "answered")
        pts, mx = totals[dim]
        share = pts / mx if mx > 0 else None
        minimum = None
        if dim == IMPACT:
            rating = tier_rating(tier)
        else:
            rating = rating_for(bank, share)
            if dim in held and rating == "green":
                rating = "amber"
            minimum = bank.scoring.minimum(tier, dim)
            short_now = minimum is not None and mx > 0 and share is not None and score_0_5(share) < minimum
            if short_now and minimum is not None and share is not None and dim not in open_dims:
                short.append((dim, score_0_5(share), minimum, pts, mx))
        dimensions.append(
            DimensionResult.model_construct(
                id=dim,
                title=bank.title_of(dim),
                score=round(pts, 4),
                max_score=round(mx, 4),
                rating=rating,
                asked=len(qs_asked),
                answered=answered,
                percent=round(100 * share, 1) if share is not None else None,
                # Complexity is measured in risk points: a 0-5 "assurance" score would mislead.
                score_0_5=score_0_5(share) if share is not None and dim != IMPACT else None,
                minimum_0_5=minimum,
            )
        )
    out = []
    severe = tier >= 3 and pos.reached >= 1
    for dim, score, minimum, pts, mx in short:
        blocks = severe and (minimum - score >= 2 or len(short) >= 2)
        # score_0_5 rounds half up, so m/5 is reached at a share of (m - 0.5)/5.
        needed = math.ceil(mx * (minimum - 0.5) / 5 * 10 - 1e-9) / 10
        more = math.ceil((needed - pts) * 10 - 1e-9) / 10
        raising = most_to_gain(gains.get(dim, []), more)
        named = ", ".join(f"{qid} (+{gain:g})" for qid, gain in raising)
        message = (
            f"{bank.title_of(dim)} scores {score}/5 ({pts:g} of {mx:g} points), below the minimum of {minimum}/5 "
            f"for tier {TIER_LABELS[tier]}"
            + (" at this gate, which blocks it" if blocks else "")
            + f": it needs {needed:g} point{'' if needed == 1 else 's'}, {more:g} more"
            + (f"; the answers with most to gain are {named}." if named else ".")
        )
        flag = Flag.model_construct(question_id=dim, message=message, dimension=dim, source="tier_minimum")
        note = (
            f"Counts towards the {bank.title_of(dim)} minimum for tier {TIER_LABELS[tier]}: "
            f"{score}/5 now, {minimum}/5 needed, {more:g} more points."
        )
        out.append(Minimum(flag, "blocker" if blocks else "condition_next_gate", [q for q, _ in raising], note))
    return dimensions, out


def most_to_gain(gains: list[tuple[str, float]], more: float) -> list[tuple[str, float]]:
    """The fewest answers that, improved to their best, would close a shortfall of ``more`` points.

    Largest gains first (ties in bank order, as ``gains`` is): the shortest path for the project,
    and one a reader can check by hand from the answers' points.
    """
    chosen: list[tuple[str, float]] = []
    for qid, gain in sorted(gains, key=lambda g: -g[1]):
        if sum(g for _, g in chosen) >= more - 1e-9:
            break
        chosen.append((qid, gain))
    return chosen
