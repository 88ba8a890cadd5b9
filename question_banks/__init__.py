"""Question banks for the CEDER self-assessment: schema, loader, linter and shipped content.

The shipped banks are derived from public frameworks (College of Policing APP, NPCC AI
Covenant, ALGO-CARE, DPA 2018 Part 3, Bridges, the Data Ethics Framework, ICO toolkits,
Canada's AIA and others). They are not official NPCC CEDER wording.
"""

from question_banks.loader import BankError, LintResult, Problem, lint, load_bank, maxima, shipped_bank_dir
from question_banks.schema import DIMENSION_TITLES, DIMENSIONS, PHASES, Bank, Question

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
