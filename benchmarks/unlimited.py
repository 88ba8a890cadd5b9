"""``ceder`` with the bank size limit lifted, for the 5,000-question benchmarks.

    python -m benchmarks.unlimited [CEDER ARGS...]

The synthetic 5,000-question bank is 2.5 MB, over the loader's 1 MB safety limit
for a whole bank; the limit guards users, not these measurements. The limit is
raised the moment ``question_banks.loader`` and ``question_banks.cache`` are
imported, by whatever imports them first, so the order and timing of ceder's own
imports are exactly as in a normal launch (importing them here, up front, would
move pydantic before Textual and change what is measured).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

LIMIT = 64 * 1024 * 1024
PATCH = {"question_banks.loader": "MAX_BANK_BYTES", "question_banks.cache": "_MAX_BYTES"}


class _Lift(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        if name not in PATCH:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        real = spec.loader

        class Loader(importlib.abc.Loader):
            def create_module(self, spec: Any) -> ModuleType | None:
                return real.create_module(spec)

            def exec_module(self, module: ModuleType) -> None:
                real.exec_module(module)
                setattr(module, PATCH[name], LIMIT)

        spec.loader = Loader()
        return spec


def install() -> None:
    sys.meta_path.insert(0, _Lift())


if __name__ == "__main__":
    install()
    from assistant.cli import main

    sys.exit(main(sys.argv[1:]))
