"""Hostile user text (markup, script, links, formulas, Rich tags, terminal escapes) comes out inert in every format."""

from __future__ import annotations

import csv
import io
import json

import pytest
from markdown_it import MarkdownIt

from assistant.reports import render
from assistant.reports.text import clean, csv_cell, md_block, md_inline
from flows import Summary
from tests.reports.htmlparse import parse

ESC = "\x1b"


def markdown_to_html(text: str) -> str:
    return str(MarkdownIt("gfm-like").render(text))


def test_html_notes_names_and_answers_are_text_not_markup(hostile: Summary) -> None:
    html = render(hostile, "html")
    root, errors = parse(html)
    assert errors == []
    tags = {e.tag for e in root.iter()}
    assert "script" not in tags and "img" not in tags and "b" not in tags and "i" not in tags
    for el in root.iter():
        for name, value in el.attrs.items():
            assert not name.startswith("on")
            assert "javascript:" not in (value or "")
    text = root.text()
    # The hostile strings survive as visible text, exactly as typed.
    assert "<script>alert(1)</script>" in text
    assert "<b>Bold</b> & <img src=x onerror=alert(1)> [/] *pilot*" in text
    assert "[x](javascript:alert(1))" in text
    assert '=HYPERLINK("http://evil.example","click")' in text
    assert "<i>Owner</i> =1+1" in text
    assert "[bold]rich[/bold]" in text
    assert "&lt;b&gt;" in text, "an entity typed by the user is shown, not decoded"


def test_html_has_no_terminal_escapes_or_hyperlink_escapes(hostile: Summary) -> None:
    html = render(hostile, "html")
    assert ESC not in html and "\x07" not in html
    root, _ = parse(html)
    note = next(r for r in root.iter("tr") if r.iter("td") and r.iter("td")[0].text() == "E2").text()
    assert "@cmd red click done" in note


def test_markdown_renders_hostile_text_literally(hostile: Summary) -> None:
    md = render(hostile, "md")
    assert ESC not in md and "\x07" not in md
    html = markdown_to_html(md)
    root, _ = parse(html)
    tags = {e.tag for e in root.iter()}
    assert "script" not in tags and "img" not in tags and "b" not in tags and "i" not in tags
    hrefs = [a.attrs.get("href") or "" for a in root.iter("a")]
    assert not any("javascript" in h or "evil" in h for h in hrefs), hrefs
    text = root.text()
    assert "<script>alert(1)</script>" in text
    assert "[x](javascript:alert(1))" in text
    assert "![img](http://evil.example/x.png)" in text
    assert "[/] [bold]rich[/bold]" in text
    assert "*pilot*" in text, "asterisks stay literal instead of making emphasis"
    assert "&lt;b&gt;" in text
    # A note cannot add headings or lists of its own.
    assert "# not a heading" in text and "- not a list" in text
    headings = [h.text() for level in ("h1", "h2", "h3") for h in root.iter(level)]
    assert "not a heading" not in headings
    # The pipe in E1a's answer stays inside its table cell or list item.
    assert "<script>alert(1)</script> | `code` [x](javascript:alert(1))" in text


def test_markdown_multi_line_notes_keep_paragraphs(before: Summary) -> None:
    html = markdown_to_html(render(before, "md"))
    root, _ = parse(html)
    quote = next(q for q in root.iter("blockquote") if "Force solicitor" in q.text())
    paras = [p.text() for p in quote.iter("p")]
    assert paras == ["Note: Force solicitor consulted informally.", "Written advice still outstanding."]


def test_csv_neutralises_formulas_and_keeps_text(hostile: Summary) -> None:
    rows = list(csv.DictReader(io.StringIO(render(hostile, "csv").lstrip("\ufeff"))))
    notes = {r["id"]: r["note"] for r in rows}
    assert notes["C1"] == '\'=HYPERLINK("http://evil.example","click")'
    assert notes["C2"] == "'+SUM(A1:A9)"
    assert notes["E2"].startswith("'@cmd") and ESC not in notes["E2"]
    assert notes["D1"].startswith("'-2+3")
    assert notes["E1"].startswith("<script>alert(1)</script>")
    assert "\n\n" in notes["E1"], "paragraphs survive inside the quoted cell"
    answers = {r["id"]: r["answer"] for r in rows}
    assert answers["E1a"] == "<script>alert(1)</script> | `code` [x](javascript:alert(1))"


def test_json_keeps_user_text_exactly_and_validly_escaped(hostile: Summary) -> None:
    text = render(hostile, "json")
    assert ESC not in text, "control characters are \\u-escaped by the JSON encoder"
    data = json.loads(text)
    notes = {a["question_id"]: a["note"] for a in data["answers"]}
    assert notes["E2"].startswith("@cmd \x1b[31mred")
    assert data["project"]["name"] == "<b>Bold</b> & <img src=x onerror=alert(1)> [/] *pilot*"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("plain = text", "plain = text"),
        ("", ""),
    ],
)
def test_csv_cell_formula_guard(raw: str, expected: str) -> None:
    assert csv_cell(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "![i](http://x/y.png)",
        "<http://evil.example>",
        "**bold** _em_ ~~strike~~ `code`",
        "| a | b |",
        "# heading",
        "1. item",
        "> quote",
        "---",
        "&amp; &#60;",
        "back\\slash [/]",
    ],
)
def test_md_inline_renders_as_the_literal_text(raw: str) -> None:
    rendered = markdown_to_html(md_inline(raw))
    root, _ = parse(rendered)
    assert root.text() == raw
    assert {e.tag for e in root.iter()} <= {"p"}


def test_md_block_keeps_lines_and_paragraphs_but_no_structure() -> None:
    raw = "first line\n# second\n\n- third\n\n\n   indented code?"
    root, _ = parse(markdown_to_html(md_block(raw)))
    assert [p.text() for p in root.iter("p")] == ["first line # second", "- third", "indented code?"]
    assert {e.tag for e in root.iter()} <= {"p", "br"}


def test_clean_strips_terminal_and_bidi_controls() -> None:
    assert clean("a\x1b[1;31mb\x1b[0m\x1b]8;;http://x\x07c\x1b]8;;\x07d") == "abcd"
    assert clean("x\u202eevil\u202cy\x00\x7f") == "xevily"
    assert clean("line\r\nnext\ttab") == "line\nnext\ttab"
