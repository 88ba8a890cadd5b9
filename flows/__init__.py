"""The assessment engine, free of any user interface: phases, routing, scoring, sessions."""

from flows.engine import Assessment, FlowError, NotSaved, Progress, ReadOnly, StepResult
from flows.locking import SessionLocked
from flows.persistence import SessionFileError, load_session, save_session
from flows.session import Session
from flows.summary import Summary

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
