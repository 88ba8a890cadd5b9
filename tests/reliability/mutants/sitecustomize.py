"""Applies the mutant named in ``CEDER_MUTANT`` at interpreter start-up (used only by the mutation runner)."""

import os

if os.environ.get("CEDER_MUTANT"):
    from tests.reliability.mutants import apply

    apply(os.environ["CEDER_MUTANT"])
