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


def _plain(text: str) -> str:
    """Lower case, letters and digits only: "Out-of-court" and "out of court" read the same."""
    return " ".join(_WORD.findall(text.lower().replace("’", "").replace("'", "")))


_WORD = re.compile(r"[^\W_]+")
_FILLER = frozenset(
    "a an the of to for and or about on in at by with from it its is are be we our i my this that these those".split()
)
"""Words that say nothing about which option is meant: "decisions about people" matches on "decisions", "people"."""
_NEGATION = frozenset("not no never none without dont don't isnt isn't doesnt doesn't cannot cant can't".split())
_TYPO = 0.8
"""How close (difflib's ratio) a mistyped word must be to an option's word to be suggested, never taken."""


def _content_words(text: str) -> list[str]:
    return [w for w in _plain(text).split() if w not in _FILLER and w not in _NEGATION]


def _word_hits(question: Question, words: list[str], close: bool) -> list[Option]:
    """Options in whose label (or a synonym) every one of ``words`` stands as a word, or starts one.

    ``close``: a word may instead be a near miss (a typo) of one of the option's words.
    """
    from difflib import SequenceMatcher

    def matches(word: str, vocabulary: set[str]) -> bool:
        if word in vocabulary or (len(word) >= 3 and any(v.startswith(word) for v in vocabulary)):
            return True
        return close and len(word) >= 4 and any(SequenceMatcher(None, word, v).ratio() >= _TYPO for v in vocabulary)

    hits = []
    for o in question.options:
        vocabulary = set(_plain(" ".join([o.label, *o.synonyms])).split())
        if words and all(matches(w, vocabulary) for w in words):
            hits.append(o)
    return hits


def whole_number(text: str) -> int | None:
    """An option number or count as typed: ASCII digits only, since "¹".isdigit() holds but int("¹") fails."""
    t = text.strip()
    return int(t) if t.isascii() and t.isdigit() else None


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
    if (number := whole_number(t)) is not None:
        opt = option_for_digit(question, number)
        return (opt, []) if opt else (None, [])
    p = _plain(t)
    for o in question.options:
        if t in (o.id.lower(), _norm(o.label)) or t in (_norm(s) for s in o.synonyms):
            return o, []
    for o in question.options:  # an option's own words, punctuation aside, before any option they begin
        if p and p == _plain(o.label):
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
    if inside or not p:
        return None, inside
    # Punctuation aside ("out of court" for "Out-of-court"), then word by word in any order.
    for match in (
        [o for o in question.options if _plain(o.label).startswith(p)],
        [o for o in question.options if p in _plain(o.label)],
    ):
        if len(match) == 1:
            return match[0], []
        if match:
            return None, match
    content = _content_words(p)
    hits = _word_hits(question, content, close=False)
    # Typed words of negation ("not about people") take an option only if its own label negates too.
    if len(hits) == 1 and (_NEGATION.isdisjoint(p.split()) or not _NEGATION.isdisjoint(_plain(hits[0].label).split())):
        return hits[0], []
    if hits:
        return None, hits
    return None, _word_hits(question, content, close=True)


def _options_list(options: list[Option], question: Question) -> str:
    return "; ".join(f"{question.options.index(o) + 1} {o.label}" for o in options)


def _did_you_mean(option: Option, question: Question, part: str = "") -> str:
    """A near miss is offered, never taken: in an assessment a wrong answer costs more than a retype."""
    said = f"For “{part.strip()}”, did" if part else "Did"
    return f"{said} you mean {question.options.index(option) + 1} “{option.label}”? Type its number to choose it."


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
        if len(candidates) == 1:
            return Interpretation("unclear", message=_did_you_mean(candidates[0], question), candidates=candidates)
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
        if len(parts) == 1 and all(whole_number(p) is not None for p in t.split()):
            parts = t.split()
        chosen: list[str] = []
        for part in parts:
            opt, candidates = _match_option(question, part)
            if opt is None:
                if len(candidates) == 1:
                    return Interpretation(
                        "unclear", message=_did_you_mean(candidates[0], question, part), candidates=candidates
                    )
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
