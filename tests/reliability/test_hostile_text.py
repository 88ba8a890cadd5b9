"""Hostile text: markup, escapes, control characters, 1 MB pastes, right-to-left and combining text.

Each kind goes into every place a user can type (a note, a free-text answer, the project
name, the assessor, an action owner) through the engine, and then through every report
format. In every format: no terminal control character comes out raw, no user markup is
interpreted, and the readable text (right-to-left, combining, emoji) survives unchanged.
The TUI and plain mode have their own checks in test_hostile_text_ui.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from assistant.reports import FORMATS, render
from flows import Assessment, Summary
from question_banks import Bank
from tests.reports.htmlparse import parse

MB = 1024 * 1024
PASTE = ("lorem ipsum dolor " * (MB // 18 + 1))[: MB - 60] + " <b>tail</b> [b]tail[/b] \x1b[31mtail"

HOSTILE: dict[str, str] = {
    "rich-markup": "[bold red]shout[/bold red] [link=https://evil.example]x[/link] [/] [@click=app.quit]quit[/]",
    "textual-markup": "$accent [b]$text[/b] {x} [on red]bg[/] [reverse]rev[/reverse]",
    "html": "<script>alert(1)</script><img src=x onerror=alert(1)> &amp; &lt;b&gt;",
    "markdown": "# heading\n- item\n[x](javascript:alert(1)) ![i](http://evil.example/x.png) **b** `c` | t | ~~s~~",
    "ansi-csi": "\x1b[2J\x1b[31mred\x1b[0m \x1b[1;1Hhome",
    "ansi-osc": "\x1b]8;;http://evil.example\x07link\x1b]8;;\x07 \x1b]0;title\x07 \x1bPdcs\x1b\\",
    "c0-controls": "bell\x07 back\x08 nul\x00 vt\x0b ff\x0c cr\r end",
    "c1-and-del": "csi\x9b31m del\x7f nel\x85 osc\x9d0;t\x9c end",
    "right-to-left": "שלום עולם مرحبا بالعالم",
    "bidi-controls": "abc\u202edcba\u202c \u2066iso\u2069 \u200fmark",
    "combining": "e\u0301 Z\u0337\u0322a\u0336l\u0338g\u0335o \u0915\u094d\u0937 n\u0303",
    "zero-width": "a\u200bb\u200dc\u2060d",
    "emoji": "👩🏽‍⚖️ 🇬🇧 ✅",
    "formula": '=HYPERLINK("http://evil.example","x")',
    "paste-1mb": PASTE,
}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Characters a terminal or viewer may act on: C0 (but tab, newline, carriage return), DEL and C1."""
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def readable(text: str) -> list[str]:
    """The words of ``text`` a reader must still see: control and bidi characters dropped, then split."""
    cleaned = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?|\x1b.", "", text)
    cleaned = BIDI.sub("", CONTROL.sub("", cleaned))
    return cleaned.split()


def hostile_summary(bank: Bank, text: str) -> Summary:
    a = Assessment(bank)
    a.start()
    a.set_project(name=text, assessor=text)
    a.note("P1", text)
    for value in ("live", "dashboard", "people", ["arrest"], 12):
        a.answer(value)
    a.proceed()
    a.answer("no")
    assert a.current is not None and a.current.id == "E1a"
    a.answer(text)
    a.set_owner("E1", text)
    a.finish()
    return a.summary(final=True)


@pytest.fixture(scope="module")
def summaries(small_bank: Bank) -> dict[str, Summary]:
    return {kind: hostile_summary(small_bank, text) for kind, text in HOSTILE.items()}


def visible_text(fmt: str, out: str) -> str:
    """What a reader of ``fmt`` sees: the format decoded, markup rendered to text."""
    if fmt == "md":
        root, _ = parse(MarkdownIt("gfm-like").render(out))
        return root.text()
    if fmt == "html":
        root, errors = parse(out)
        assert errors == []
        return root.text()
    if fmt in ("csv", "actions-csv"):
        csv.field_size_limit(8 * MB)
        rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
        return " ".join(cell.removeprefix("'") for row in rows for cell in row)
    assert fmt == "json"
    return " ".join(_strings(json.loads(out)))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def test_every_format_is_covered() -> None:
    assert set(FORMATS) >= {"md", "json", "html", "csv"}


CASES = [(kind, fmt) for kind in HOSTILE for fmt in FORMATS]


@pytest.mark.parametrize(("kind", "fmt"), CASES)
def test_hostile_text_is_inert_and_readable(kind: str, fmt: str, summaries: dict[str, Summary]) -> None:
    text = HOSTILE[kind]
    start = time.perf_counter()
    out = render(summaries[kind], fmt)
    assert time.perf_counter() - start < 5
    # 1. No control character reaches the reader's terminal or viewer raw.
    bad = CONTROL.search(out.replace("\r\n", "\n"))
    assert bad is None, (
        f"raw {bad.group()!r} in {fmt} at {bad.start()}: {out[max(0, bad.start() - 40) : bad.start() + 40]!r}"
    )
    if fmt != "json":
        assert BIDI.search(out) is None, "bidi controls can make text read as something else"
    # 2. The words survive as typed, markup characters included (so none was interpreted), and
    #    right-to-left and combining text is not normalised or mangled. JSON is data: it keeps
    #    the text exactly, escaped by the encoder.
    seen = visible_text(fmt, out)
    if fmt == "json":
        assert text in _strings(json.loads(out))
    elif kind == "paste-1mb":
        assert seen.count("lorem ipsum dolor") >= 2 * (MB // 18) - 10  # at least the note and the answer
        assert "<b>tail</b> [b]tail[/b]" in seen
    else:
        words = readable(text)
        assert " ".join(words) in " ".join(seen.split()), (words, seen[:300])
    # 3. Nothing the user typed became markup: no script, image, frame, handler or link of theirs.
    if fmt in ("md", "html"):
        html = MarkdownIt("gfm-like").render(out) if fmt == "md" else out
        root, _ = parse(html)
        assert not {e.tag for e in root.iter()} & {"script", "img", "iframe", "object", "embed"}
        for el in root.iter():
            assert not any(name.startswith("on") for name in el.attrs)
            assert "javascript:" not in (el.attrs.get("href") or "")
            assert "evil.example" not in (el.attrs.get("href") or "") + (el.attrs.get("src") or "")
    if fmt in ("csv", "actions-csv"):
        for row in csv.reader(io.StringIO(out.lstrip("\ufeff"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "@")) or cell == "", cell[:60]


@pytest.mark.parametrize("kind", ["combining", "right-to-left", "emoji", "zero-width", "rich-markup", "html"])
def test_json_keeps_the_text_exactly(kind: str, summaries: dict[str, Summary]) -> None:
    data = json.loads(render(summaries[kind], "json"))
    assert data["project"]["name"] == HOSTILE[kind]
    assert next(a["answer"] for a in data["answers"] if a["question_id"] == "E1a") == HOSTILE[kind]


@pytest.mark.parametrize("kind", ["ansi-csi", "ansi-osc", "c0-controls", "c1-and-del", "bidi-controls", "combining"])
def test_session_files_hold_the_text_exactly_with_no_raw_controls(kind: str, small_bank: Bank, tmp_path: Path) -> None:
    from flows import load_session

    path = tmp_path / "s.json"
    a = Assessment(small_bank, path=path)
    a.start()
    a.note("P1", HOSTILE[kind])
    raw = path.read_text(encoding="utf-8")
    assert CONTROL.search(raw.replace("\n", "")) is None
    assert load_session(path).notes["P1"] == HOSTILE[kind]
