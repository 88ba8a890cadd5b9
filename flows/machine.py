"""The conversation's phases as a ``transitions`` state machine.

States are phases, never questions: welcome, profile, each dimension and its
review, summary. Which question comes next inside a phase is data (the
bank's conditions, see :mod:`flows.scoring`). The engine decides the target
phase before firing a trigger and stores it in ``model.target``; each
transition's condition accepts only its own destination, so the table below
states exactly which moves are legal, and the machine refuses the rest.
Building it is O(phases²), independent of the number of questions.
"""

from __future__ import annotations

from typing import Any

from transitions import Machine

from question_banks.schema import DIMENSIONS

WELCOME = "welcome"
SUMMARY = "summary"
QUESTION_TRIGGERS = ("answer", "skip", "dont_know")
TRIGGERS = ("start", *QUESTION_TRIGGERS, "back", "proceed", "jump", "finish")


def review(phase: str) -> str:
    return f"{phase}_review"


def states_for(phases: list[str]) -> list[str]:
    states = [WELCOME]
    for p in phases:
        states.append(p)
        if p in DIMENSIONS:
            states.append(review(p))
    states.append(SUMMARY)
    return states


def transition_table(phases: list[str]) -> list[dict[str, Any]]:
    """Every legal move: (trigger, source, dest), each guarded by the engine's chosen target."""
    states = states_for(phases)
    question_states = list(phases)
    review_states = [review(p) for p in phases if p in DIMENSIONS]
    table: list[dict[str, Any]] = []

    def add(trigger: str, sources: list[str], dests: list[str]) -> None:
        for dest in dests:
            srcs = [s for s in sources if s != dest]
            if srcs:
                table.append({"trigger": trigger, "source": srcs, "dest": dest, "conditions": f"goes_to_{dest}"})
        stays = [s for s in sources if s in dests]
        if stays:
            table.append({"trigger": trigger, "source": stays, "dest": None, "conditions": "stays"})

    add("start", [WELCOME], question_states)
    for trig in QUESTION_TRIGGERS:
        # Stay in the phase, move to its review, or (after a revision, or from the
        # profile) straight to the phase of the next open question, or the summary.
        add(trig, question_states, [*question_states, *review_states, SUMMARY])
    add("proceed", [WELCOME, *review_states], [*question_states, SUMMARY])
    add("back", [*question_states, *review_states, SUMMARY], question_states)
    add("jump", [*question_states, *review_states, SUMMARY], question_states)
    add("finish", [*question_states, *review_states], [SUMMARY])
    assert all(t["dest"] is None or t["dest"] in states for t in table)
    return table


class PhaseModel:
    """The machine's model: the engine subclasses it and sets ``target`` before each trigger."""

    state: str
    target: str | None = None

    def stays(self) -> bool:
        return self.target == self.state

    def __getattr__(self, name: str) -> Any:
        if name.startswith("goes_to_"):
            dest = name[len("goes_to_") :]
            return lambda: self.target == dest
        raise AttributeError(name)


def build_machine(model: PhaseModel, phases: list[str], initial: str, graph: bool = False) -> Machine:
    states = states_for(phases)
    if initial not in states:
        raise ValueError(f"unknown state {initial!r}")
    kwargs: dict[str, Any] = {
        "model": model,
        "states": states,
        "transitions": transition_table(phases),
        "initial": initial,
        "auto_transitions": False,
        "ignore_invalid_triggers": False,
    }
    if graph:
        from transitions.extensions import GraphMachine

        return GraphMachine(graph_engine="mermaid", show_conditions=False, **kwargs)
    return Machine(**kwargs)
