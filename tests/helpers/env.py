"""The environment a real ``ceder`` process runs in under test."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def ceder_env(home: Path | None = None) -> dict[str, str]:
    """This environment, with the project first on the path, unbuffered output and (given) a data folder."""
    env = dict(os.environ)
    env.pop("CEDER_DEBUG", None)
    # The project first; anything already on the path stays (the mutation runner puts its hook there).
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["PYTHONUNBUFFERED"] = "1"
    if home is not None:
        env["CEDER_HOME"] = str(home)
    return env
