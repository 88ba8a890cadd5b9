"""How far along the assessment is, in words a person can plan with: "question N of about M, about K minutes left".

The total moves as follow-ups open and close, so it is shown rounded up to a multiple of
five and with hysteresis: it rises as soon as the real count passes it, and falls only
once the real count is two whole steps below it. Time left counts the questions left at a
steady pace; both only ever move by whole steps, so the line never jumps about.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flows import Assessment

SECONDS_PER_QUESTION = 30
"""A typical pace: reading, thinking and answering one question (notes take longer; skips less)."""
STEP = 5


@dataclass(frozen=True)
class Estimate:
    number: int
    """The question on screen (answered so far + 1), or the number answered when none is on screen."""
    about: int
    """The likely total, rounded up to a multiple of five once there are more than ten."""
    minutes: int
    """Minutes left, rounded up."""
    exact: bool
    """The total is exact (no follow-up can still open, or it is small)."""

    def text(self) -> str:
        total = f"{self.about}" if self.exact else f"about {self.about}"
        left = "less than a minute left" if self.minutes <= 1 else f"about {self.minutes} minutes left"
        return f"Question {self.number} of {total}, {left}"


def estimate(a: Assessment, previous: Estimate | None = None) -> Estimate:
    answered = sum(1 for qid in a.answers if a.is_relevant(qid))
    remaining = len(a.tracker.pending)
    total = answered + remaining
    number = min(answered + (1 if a.current is not None else 0), max(total, 1))
    exact = total <= 10 or remaining == 0
    about = total if exact else STEP * math.ceil(total / STEP)
    if previous is not None and not exact and not previous.exact:
        if total <= previous.about and previous.about - total < 2 * STEP:
            about = previous.about  # less than two steps below what was shown: keep it
    left = max(about - number + (1 if a.current is not None else 0), 0)
    minutes = math.ceil(left * SECONDS_PER_QUESTION / 60)
    return Estimate(number, max(about, number), minutes, exact)


def tier_is_provisional(a: Assessment) -> bool:
    """The impact tier can still change: complexity has questions open (or none answered yet)."""
    if a.finished:
        return False
    return bool(a.tracker.pending_in("complexity")) or not any(a.phase_of(qid) == "complexity" for qid in a.answers)
