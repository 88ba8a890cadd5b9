"""Who owns a plan, and by when, read from a free-text "plan and owner" answer.

People answer "DPO, by 2027-01-31", "HR data lead to start a DPIA (no date)", "Missing audit
rights; owner procurement lead" or "review by the biometrics lead". The owner is a role or a
name, so it is found by its shape: an ``Owner:`` marker, a role in closing brackets, the subject
of "X to do / X will do", a closing "; procurement lead", "by the X lead", or a short answer that
is nothing but a role. A sentence with no recognisable owner gives none: an action plan that says
"not recorded" is honest; one whose owner column holds a paragraph is not.
"""

from __future__ import annotations

import re

from flows.dates import find_date

ROLE_WORDS = (
    r"lead|leads|officer|officers|manager|head|director|dpo|siro|sro|analyst|analysts|team|unit|board|committee"
    r"|inspector|sergeant|superintendent|constable|chief|acc|dcc|partner|owner|solicitor|solicitors|lawyer|lawyers"
    r"|counsel|adviser|advisor|engineer|scientist|coordinator|controller|procurement|legal|services|trainer"
    r"|bureau|department|secretariat|commissioner|supplier|vendor"
)
_ROLE = re.compile(rf"\b(?:{ROLE_WORDS})\b", re.IGNORECASE)
_UNITS = re.compile(r"\b(?:IT|HR)\b")  # capitals only: "IT" the department, never "it" the pronoun
_NOT_A_NAME = re.compile(
    r"\b(?:to|will|is|are|was|were|be|been|has|have|had|asked|missing|refuses|nothing|everything|yet|planned|before|after|during|drafting|briefing|review|audit)\b",
    re.IGNORECASE,
)
_NO_DATE = re.compile(
    r"[\s,;(]*\b(?:no (?:completion )?date(?: (?:agreed|set|yet))?|date (?:not set|not agreed|tbc|to be agreed)"
    r"|owner and date not set)\b\s*\)?",
    re.IGNORECASE,
)
_MARKER = re.compile(r"(?<!no )\b(?:owner|owned by|lead owner)\b\s*(?:[:\-\u2013]\s*|(?=[A-Za-z]))", re.IGNORECASE)
_NOBODY = re.compile(r"^(?:not|nobody|none|tbc|to be)\b", re.IGNORECASE)
_SUBJECT = re.compile(r"^(?P<who>.{2,60}?)\s+(?:to|will|is|are|drafting|writing|reviewing)\b")
_BY_ROLE = re.compile(r"\bby (?:the |a |our )?(?P<who>[^,;.()]{2,40})$", re.IGNORECASE)
_BRACKETS = re.compile(r"\((?P<who>[^()]{2,60})\)\s*$")
_WHEN = re.compile(r",\s*(?P<when>(?:by|before|due)\s+[^,;()]{2,40})$", re.IGNORECASE)
"""A closing ", by next spring" or ", before any pilot": when, in words that are not one date."""
_PREPOSITION = re.compile(r"[\s,;(]*\b(?:by|due|on|before|at)\s*\)?\s*$", re.IGNORECASE)
MAX_OWNER_WORDS = 8


def owner_and_due(text: str) -> tuple[str, str]:
    """The owner and the due date as written (see :mod:`flows.dates` for reading it) in a plan answer."""
    text = " ".join(text.split())
    text = _NO_DATE.sub("", text).strip(" .,;")
    found = find_date(text)
    due = found[0].group() if found else ""
    if found:
        match = found[0]
        before = _PREPOSITION.sub("", text[: match.start()])
        text = f"{before}{text[match.end() :]}".strip()
        text = _balanced(re.sub(r"\(\s*\)", "", text).strip(" .,;"))
    elif when := _WHEN.search(text):
        due, text = when.group("when"), text[: when.start()]
    return _balanced(_short(_owner_in(text))), due


def _balanced(text: str) -> str:
    """Brackets left whole after a date is cut from inside them: "DPO (by 2027-04-30)" is "DPO"."""
    out, depth = [], 0
    for ch in text:
        if ch == ")" and depth == 0:
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        out.append(ch)
    return "".join(out).strip() + ")" * depth


def _owner_in(text: str) -> str:
    text = text.strip(" .,;")
    marked = _MARKER.search(text)
    if marked:
        named = re.split(r"[;,]|\.\s|\.$", text[marked.end() :], maxsplit=1)[0].strip(" .")
        return "" if not named or _NOBODY.match(named) else named
    head, _, tail = text.partition(":")
    if tail and _is_owner(head):  # "IT delivery manager: interfaces and security test"
        return head.strip()
    if _is_owner(text):
        return text
    candidates = []
    if bracket := _BRACKETS.search(text):
        candidates.append(bracket.group("who"))
    if subject := _SUBJECT.match(text):
        candidates.append(re.sub(r"^(?:the|our)\s+", "", subject.group("who"), flags=re.IGNORECASE))
    if "," in text:
        candidates.append(text.split(",", 1)[0])
    if ";" in text:
        candidates.append(text.rsplit(";", 1)[1])
    if by := _BY_ROLE.search(text):
        candidates.append(by.group("who"))
    for who in candidates:
        who = who.strip(" .,;")
        if _is_owner(who):
            return who
    return ""


def _is_owner(text: str) -> bool:
    """A role or a name: a few words with a role among them, or up to four capitalised words, and no verb."""
    words = text.split()
    if not words or len(words) > MAX_OWNER_WORDS or _NOBODY.match(text) or _NOT_A_NAME.search(text):
        return False
    if _ROLE.search(text) or _UNITS.search(text):
        return True
    named = [w for w in words if w[0].isalpha()]
    return 0 < len(named) <= 4 and all(w[0].isupper() for w in named)


def _short(owner: str) -> str:
    return owner if len(owner) <= 119 else owner[:118].rstrip() + "\u2026"
