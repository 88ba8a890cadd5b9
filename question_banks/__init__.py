"""Question banks for the CEDER self-assessment: schema, loader, linter and shipped content.

The shipped banks are derived from public frameworks (College of Policing APP, NPCC AI
Covenant, ALGO-CARE, DPA 2018 Part 3, Bridges, the Data Ethics Framework, ICO toolkits,
Canada's AIA and others). They are not official NPCC CEDER wording.

Names are imported on first use (PEP 562): the TUI, loading a cached bank, never needs
the loader, YAML or the linter, and importing them costs 10-20 ms at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from question_banks.loader import BankError, LintResult, Problem, lint, load_bank, maxima, shipped_bank_dir
    from question_banks.schema import DIMENSION_TITLES, DIMENSIONS, PHASES, Bank, Question

_WHERE = {
    "DIMENSIONS": "schema",
    "DIMENSION_TITLES": "schema",
    "PHASES": "schema",
    "Bank": "schema",
    "Question": "schema",
    "BankError": "loader",
    "LintResult": "loader",
    "Problem": "loader",
    "lint": "loader",
    "load_bank": "loader",
    "maxima": "loader",
    "shipped_bank_dir": "loader",
}

__all__ = [
    "DIMENSIONS",
    "DIMENSION_TITLES",
    "PHASES",
    "Bank",
    "BankError",
    "LintResult",
    "Problem",
    "Question",
    "lint",
    "load_bank",
    "maxima",
    "shipped_bank_dir",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'question_banks' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"question_banks.{module}"), name)
    globals()[name] = value
    return value
