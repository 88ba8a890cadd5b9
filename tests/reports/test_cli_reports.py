"""``ceder report`` and ``ceder run`` write every format through the same renderers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from assistant.cli import main
from question_banks import Bank
from tests.conftest import SMALL_BANK
from tests.reports.conftest import BEFORE, saved
from tests.reports.htmlparse import parse

BANK = ["--bank", str(SMALL_BANK)]


@pytest.fixture
def session(small_bank: Bank, tmp_path: Path) -> str:
    return str(saved(small_bank, BEFORE, tmp_path / "session.json"))


@pytest.mark.parametrize("fmt", ["md", "html", "json", "csv"])
def test_report_writes_each_format_privately(session: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    assert main([*BANK, "report", session, "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o600
    if fmt == "json":
        assert json.loads(text)["verdict"] == "not_ready"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        assert rows[0]["id"] == "P1"
    elif fmt == "html":
        root, errors = parse(text)
        assert errors == [] and root.by_id("verdict") is not None
    else:
        assert text.startswith("# Readiness summary: Hotspot mapping pilot")


def test_report_never_overwrites_without_force(
    session: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    out.write_text("keep me")
    assert main([*BANK, "report", session, "--format", "html", "-o", str(out)]) == 1
    assert out.read_text() == "keep me"
    assert "already exists" in capsys.readouterr().err
    assert main([*BANK, "report", session, "--format", "html", "-o", str(out), "--force"]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_run_renders_html_like_report(session: str, tmp_path: Path) -> None:
    ran, reported = tmp_path / "run.html", tmp_path / "report.html"
    assert main([*BANK, "run", "--answers", str(BEFORE), "--format", "html", "-o", str(ran)]) == 0
    assert main([*BANK, "report", session, "--format", "html", "-o", str(reported)]) == 0
    assert ran.read_text() == reported.read_text()
