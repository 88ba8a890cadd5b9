"""Shared fixtures: the small fixture bank, a private data folder, and a fresh engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import Assessment
from question_banks import Bank, load_bank

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_BANK = FIXTURES / "bank_small"


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder, never the user's."""
    home = tmp_path_factory.mktemp("ceder-home")
    monkeypatch.setenv("CEDER_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def small_bank() -> Bank:
    return load_bank(SMALL_BANK)


@pytest.fixture
def assessment(small_bank: Bank) -> Assessment:
    a = Assessment(small_bank)
    a.start()
    return a
