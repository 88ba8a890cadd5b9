"""Text hygiene shared by every report format.

User and bank text reaches reports from session files that anyone could have
edited, so it is treated as hostile: control characters (ANSI escapes, bidi
overrides) are removed before any format sees it, and each format then escapes
what its readers would otherwise interpret (HTML via Jinja2 autoescape, Markdown
via :func:`md_inline` / :func:`md_block`, CSV via :func:`csv_cell`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

# ANSI/VT escape sequences (CSI, OSC, and two-character escapes), then any other
# C0/C1 control character except newline and tab, and Unicode bidi controls that
# can make text read differently from what it is (CVE-2021-42574 "Trojan Source").
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """``text`` without terminal escapes and invisible control characters; newlines kept (as ``\\n``)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ANSI.sub("", text))


def clean_tree(value: Any) -> Any:
    """:func:`clean` applied to every string in a JSON-like structure."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: clean_tree(v) for k, v in value.items()}
    return value


def one_line(text: str) -> str:
    """All whitespace runs (newlines included) collapsed to single spaces."""
    return " ".join(clean(text).split())


def paragraphs(text: str) -> list[list[str]]:
    """Paragraphs (split on blank lines) of lines, each line stripped; empty lines dropped."""
    out: list[list[str]] = []
    for block in re.split(r"\n\s*\n", clean(text)):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            out.append(lines)
    return out


# -- Markdown ---------------------------------------------------------------
class MdSafe(str):
    """Markdown produced by this module: not escaped again."""

    __slots__ = ()


# Everything CommonMark/GFM could read as emphasis, code, links, images, raw HTML,
# tables or strikethrough. Parentheses stay: without brackets they cannot form a link.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# GFM "extended autolinks" turn bare URLs into links; an escaped character splits the
# text so no viewer sees a URL to link ("https\\://", "www\\.").
_MD_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)")
# Things that mean something only at the start of a line: ATX headings, block quotes,
# list markers, ordered-list numbers ("1." / "1)"), and setext underlines / thematic breaks.
_MD_LINE_START = re.compile(r"^(?:(#{1,6})(?=\s|$)|(>)|([-+])(?=\s|$)|(\d{1,9})([.)])(?=\s|$)|([=-])(?=[=\s-]*$))")


def md_inline(text: object) -> MdSafe:
    """``text`` on one line, with every Markdown-active character escaped."""
    if isinstance(text, MdSafe):
        return text
    s = _MD_SPECIAL.sub(r"\\\1", one_line(str(text)))
    s = _MD_ENTITY.sub(r"\\&", s)
    s = _MD_AUTOLINK.sub(lambda m: "\\" + m.group(0), s)
    return MdSafe(_MD_LINE_START.sub(_line_start, s))


def _line_start(m: re.Match[str]) -> str:
    if m.group(4):
        return m.group(4) + "\\" + m.group(5)
    return "\\" + m.group(0)


def md_block(text: object, prefix: str = "") -> MdSafe:
    """Multi-line ``text`` as escaped Markdown: paragraphs kept, lines joined by hard breaks.

    ``prefix`` starts every output line (for example ``"  > "`` for a quote inside a list item).
    """
    paras = paragraphs(str(text))
    blank = prefix.rstrip()
    rendered = []
    for lines in paras:
        rendered.append("  \n".join(prefix + md_inline(line) for line in lines))
    return MdSafe(f"\n{blank}\n".join(rendered))


def md_quote(text: object, label: str, indent: str = "") -> MdSafe:
    """A block quote opening with a bold ``label``; paragraphs kept, every line escaped."""
    body = md_block(text, indent + "> ")
    head = f"{indent}> **{md_inline(label)}:** "
    return MdSafe(head + body[len(indent) + 2 :] if body else head.rstrip())


def md_cell(text: object) -> MdSafe:
    """Text for a Markdown table cell: one line, escaped (pipes included)."""
    return md_inline(text)


# -- CSV --------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """Text safe to open in a spreadsheet: a leading formula character is neutralised with ``'``."""
    text = clean(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


# -- numbers and dates ------------------------------------------------------
def num(value: float | None) -> str:
    """A score as people write it: ``3``, ``2.5``; an em dash for none."""
    if value is None:
        return "—"
    return f"{round(value, 2):g}"


def long_date(iso: str) -> str:
    """``2026-03-02`` as ``2 March 2026`` (UK style); anything unparseable unchanged."""
    try:
        d = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    return f"{d.day} {d.strftime('%B')} {d.year}"
