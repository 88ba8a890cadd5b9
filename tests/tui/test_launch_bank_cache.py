"""The TUI loads its bank through the validated-bank cache in the data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.cli import CliError, load_bank_or_fail
from assistant.launch import load_bank_for_tui
from question_banks import shipped_bank_dir


def test_the_tui_bank_is_cached_in_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEDER_HOME", str(tmp_path / "home"))
    first = load_bank_for_tui(None)
    assert list((tmp_path / "home" / "cache").glob("bank-*.pickle"))
    again = load_bank_for_tui(None)
    assert again.manifest == first.manifest and again.sections == first.sections


def test_a_broken_bank_gives_the_cli_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEDER_HOME", str(tmp_path / "home"))
    folder = tmp_path / "bank"
    shutil.copytree(shipped_bank_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "bank.yaml").write_text("id: [unclosed\n", "utf-8")
    with pytest.raises(CliError) as plain:
        load_bank_or_fail(str(folder))
    with pytest.raises(CliError) as tui:
        load_bank_for_tui(str(folder))
    assert str(tui.value) == str(plain.value)
