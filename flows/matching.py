"""Understanding typed answers: option numbers, labels, ids and obvious synonyms.

Ambiguous or unclear input yields a clarifying reply rather than an error, so a
chat interface can simply say it back to the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from question_banks.conditions import AnswerValue
from question_banks.schema import Option, Question

DONT_KNOW_WORDS = frozenset(
    {"dont know", "don't know", "do not know", "unsure", "not sure", "dk", "?", "idk", "unknown"}
)
SKIP_WORDS = frozenset({"skip", "pass", "next", "later"})
_YES = frozenset({"y", "yes", "yep", "yeah", "true", "aye"})
_NO = frozenset({"n", "no", "nope", "false"})
_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?\s*[kKmM]?")


@dataclass
class Interpretation:
    kind: Literal["value", "dont_know", "skip", "unclear"]
    value: AnswerValue | None = None
    message: str = ""
    """For ``unclear``: a clarifying reply to show the user."""
    candidates: list[Option] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split()).strip(" .!")


def digits_are_ids(question: Question) -> bool:
    """Scale questions whose options are numbered 0..n take digits as the score itself."""
    return question.kind == "scale" and all(o.id.isdigit() for o in question.options)


def option_for_digit(question: Question, digit: int) -> Option | None:
    """The option a digit key picks: option N (1-based), or the option with that id on a 0..n scale."""
    if digits_are_ids(question):
        return question.option_index.get(str(digit))
    if 1 <= digit <= len(question.options):
        return question.options[digit - 1]
    return None


def _match_option(question: Question, token: str) -> tuple[Option | None, list[Option]]:
    t = _norm(token)
    if not t:
        return None, []
    if t.isdigit():
        opt = option_for_digit(question, int(t))
        return (opt, []) if opt else (None, [])
    for o in question.options:
        if t in (o.id.lower(), _norm(o.label)) or t in (_norm(s) for s in o.synonyms):
            return o, []
    if t in _YES or t in _NO:
        words = _YES if t in _YES else _NO
        hits = [
            o for o in question.options if o.id.lower() in words or _norm(o.label).split(" ")[0].strip(",") in words
        ]
        if len(hits) == 1:
            return hits[0], []
        if hits:
            return None, hits
    prefix = [o for o in question.options if _norm(o.label).startswith(t)]
    if len(prefix) == 1:
        return prefix[0], []
    if len(prefix) > 1:
        return None, prefix
    inside = [o for o in question.options if t in _norm(o.label)]
    if len(inside) == 1:
        return inside[0], []
    return None, inside


def _options_list(options: list[Option], question: Question) -> str:
    return "; ".join(f"{question.options.index(o) + 1} {o.label}" for o in options)


def interpret(question: Question, text: str) -> Interpretation:
    """Turn typed text into an answer for ``question``, or a clarifying reply."""
    t = _norm(text)
    if t in DONT_KNOW_WORDS:
        return Interpretation("dont_know")
    if t in SKIP_WORDS and question.kind != "text":
        return Interpretation("skip")
    if not t:
        return Interpretation("unclear", message="Please type an answer, or /skip, or /dontknow.")
    if question.kind in ("single", "scale"):
        opt, candidates = _match_option(question, t)
        if opt is not None:
            return Interpretation("value", opt.id)
        if candidates:
            return Interpretation(
                "unclear",
                message=f"That could be more than one option: {_options_list(candidates, question)}. Which one?",
                candidates=candidates,
            )
        return Interpretation(
            "unclear",
            message=f"Sorry, I didn't catch that. Type a number from the list, or part of an option, e.g. "
            f"“{question.options[0].label}”.",
        )
    if question.kind == "multi":
        if t in ("none", "nothing") and not any(_norm(o.label).startswith("none") for o in question.options):
            return Interpretation("value", [])
        parts = [p for p in re.split(r"[,;]|\band\b", t) if p.strip()]
        if len(parts) == 1 and all(p.isdigit() for p in t.split()):
            parts = t.split()
        chosen: list[str] = []
        for part in parts:
            opt, candidates = _match_option(question, part)
            if opt is None:
                if candidates:
                    return Interpretation(
                        "unclear",
                        message=f"“{part.strip()}” could be {_options_list(candidates, question)}. Which one?",
                        candidates=candidates,
                    )
                return Interpretation(
                    "unclear",
                    message=f"I couldn't match “{part.strip()}”. List option numbers or names, separated by commas.",
                )
            if opt.id not in chosen:
                chosen.append(opt.id)
        return Interpretation("value", chosen)
    if question.kind == "number":
        m = _NUMBER.search(text)
        if not m:
            return Interpretation("unclear", message="Please give a number (for example 250).")
        raw = m.group(0).replace(",", "").strip()
        scale = 1.0
        if raw[-1] in "kK":
            scale, raw = 1_000.0, raw[:-1]
        elif raw[-1] in "mM":
            scale, raw = 1_000_000.0, raw[:-1]
        return Interpretation("value", float(raw.strip()) * scale)
    return Interpretation("value", text.strip())
