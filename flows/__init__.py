"""The assessment engine, free of any user interface: phases, routing, scoring, sessions.

Names are imported on first use (PEP 562), so that a light submodule (``flows.values``,
``flows.locking``, ``flows.persistence``...) can be imported without the engine and its
pydantic models: the TUI paints its first screen before any of them are needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flows.engine import Assessment, FlowError, NotSaved, Progress, ReadOnly, StepResult
    from flows.locking import SessionLocked
    from flows.persistence import SessionFileError, load_session, save_session
    from flows.session import Session
    from flows.summary import Summary

_WHERE = {
    "Assessment": "engine",
    "FlowError": "engine",
    "NotSaved": "engine",
    "Progress": "engine",
    "ReadOnly": "engine",
    "StepResult": "engine",
    "SessionLocked": "locking",
    "SessionFileError": "persistence",
    "load_session": "persistence",
    "save_session": "persistence",
    "Session": "session",
    "Summary": "summary",
}

__all__ = [
    "Assessment",
    "FlowError",
    "NotSaved",
    "Progress",
    "ReadOnly",
    "Session",
    "SessionFileError",
    "SessionLocked",
    "StepResult",
    "Summary",
    "load_session",
    "save_session",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'flows' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"flows.{module}"), name)
    globals()[name] = value
    return value
