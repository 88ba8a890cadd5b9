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
# Patterns are kept as text (flags inline) and used through ``re.search(PATTERN, ...)``: the
# ``re`` module compiles each on first use and caches it, so importing this module compiles
# nothing (a dozen compilations that every command paid at start-up, whether it read a plan or not).
_ROLE = rf"(?i)\b(?:{ROLE_WORDS})\b"
_UNITS = r"\b(?:IT|HR)\b"  # capitals only: "IT" the department, never "it" the pronoun
_NOT_A_NAME = r"(?i)\b(?:to|will|is|are|was|were|be|been|has|have|had|asked|missing|refuses|nothing|everything|yet|planned|before|after|during|drafting|briefing|review|audit)\b"
_NO_DATE = (
    r"(?i)[\s,;(]*\b(?:no (?:completion )?date(?: (?:agreed|set|yet))?|date (?:not set|not agreed|tbc|to be agreed)"
    r"|owner and date not set)\b\s*\)?"
)
_MARKER = r"(?i)(?<!no )\b(?:owner|owned by|lead owner)\b\s*(?:[:\-\u2013]\s*|(?=[A-Za-z]))"
_NOBODY = r"(?i)^(?:not|nobody|none|tbc|to be)\b"
_SUBJECT = r"^(?P<who>.{2,60}?)\s+(?:to|will|is|are|drafting|writing|reviewing)\b"
_BY_ROLE = r"(?i)\bby (?:the |a |our )?(?P<who>[^,;.()]{2,40})$"
_BRACKETS = r"\((?P<who>[^()]{2,60})\)\s*$"
_WHEN = r"(?i),\s*(?P<when>(?:by|before|due)\s+[^,;()]{2,40})$"
"""A closing ", by next spring" or ", before any pilot": when, in words that are not one date."""
_PREPOSITION = r"(?i)[\s,;(]*\b(?:by|due|on|before|at)\s*\)?\s*$"
MAX_OWNER_WORDS = 8


def owner_and_due(text: str) -> tuple[str, str]:
    """The owner and the due date as written (see :mod:`flows.dates` for reading it) in a plan answer."""
    text = " ".join(text.split())
    text = re.sub(_NO_DATE, "", text).strip(" .,;")
    found = find_date(text)
    due = found[0].group() if found else ""
    if found:
        match = found[0]
        before = re.sub(_PREPOSITION, "", text[: match.start()])
        text = f"{before}{text[match.end() :]}".strip()
        text = _balanced(re.sub(r"\(\s*\)", "", text).strip(" .,;"))
    elif when := re.search(_WHEN, text):
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
    marked = re.search(_MARKER, text)
    if marked:
        named = re.split(r"[;,]|\.\s|\.$", text[marked.end() :], maxsplit=1)[0].strip(" .")
        return "" if not named or re.match(_NOBODY, named) else named
    head, _, tail = text.partition(":")
    if tail and _is_owner(head):  # "IT delivery manager: interfaces and security test"
        return head.strip()
    if _is_owner(text):
        return text
    candidates = []
    if bracket := re.search(_BRACKETS, text):
        candidates.append(bracket.group("who"))
    if subject := re.match(_SUBJECT, text):
        candidates.append(re.sub(r"^(?:the|our)\s+", "", subject.group("who"), flags=re.IGNORECASE))
    if "," in text:
        candidates.append(text.split(",", 1)[0])
    if ";" in text:
        candidates.append(text.rsplit(";", 1)[1])
    if by := re.search(_BY_ROLE, text):
        candidates.append(by.group("who"))
    for who in candidates:
        who = who.strip(" .,;")
        if _is_owner(who):
            return who
    return ""


def _is_owner(text: str) -> bool:
    """A role or a name: a few words with a role among them, or up to four capitalised words, and no verb."""
    words = text.split()
    if not words or len(words) > MAX_OWNER_WORDS or re.match(_NOBODY, text) or re.search(_NOT_A_NAME, text):
        return False
    if re.search(_ROLE, text) or re.search(_UNITS, text):
        return True
    named = [w for w in words if w[0].isalpha()]
    return 0 < len(named) <= 4 and all(w[0].isupper() for w in named)


def _short(owner: str) -> str:
    return owner if len(owner) <= 119 else owner[:118].rstrip() + "\u2026"
