"""The assessment engine, free of any user interface: phases, routing, scoring, sessions."""

from flows.engine import Assessment, FlowError, Progress, StepResult
from flows.persistence import SessionFileError, load_session, save_session
from flows.session import Session
from flows.summary import Summary

__all__ = [
    "Assessment",
    "FlowError",
    "Progress",
    "Session",
    "SessionFileError",
    "StepResult",
    "Summary",
    "load_session",
    "save_session",
]
