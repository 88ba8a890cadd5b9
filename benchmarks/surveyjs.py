"""Convert a synthetic bank (see :mod:`benchmarks.synth`) to a SurveyJS questionnaire.

One page per phase; ``single``/``scale`` become ``radiogroup``, ``multi`` becomes
``checkbox``, ``number`` a numeric ``text`` and ``text`` a ``comment``. Each
choice carries its points in a custom ``score`` property (registered on
``itemvalue`` by ``peer/surveyjs_step.js``); ``ask_if`` becomes ``visibleIf``.
Values of questions that become hidden are cleared (``clearInvisibleValues:
onHidden``), which matches the engine, where only relevant answers count.
"""

from __future__ import annotations

import json
from typing import Any

from benchmarks.synth import PHASES


def _lit(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "\\'") + "'"


def expression(cond: dict[str, Any], kinds: dict[str, str]) -> str:
    """A SurveyJS expression equivalent to one condition tree."""
    op = cond["op"]
    if op in ("all", "any"):
        joiner = " and " if op == "all" else " or "
        return joiner.join(f"({expression(c, kinds)})" for c in cond["conditions"])
    if op == "not":
        return f"!({expression(cond['condition'], kinds)})"
    q = cond["question"]
    ref = "{" + q + "}"
    if op == "equals":
        if kinds[q] == "multi":
            return f"{ref} contains {_lit(cond['value'])}"
        return f"{ref} = {_lit(cond['value'])}"
    if op == "in":
        return f"{ref} anyof [{', '.join(_lit(v) for v in cond['values'])}]"
    if op == "answered":
        return f"{ref} notempty"
    if op == "range":
        if kinds[q] != "number":
            raise ValueError(f"range on the points of {q} has no SurveyJS equivalent")
        parts = []
        if cond.get("min") is not None:
            parts.append(f"{ref} >= {_lit(cond['min'])}")
        if cond.get("max") is not None:
            parts.append(f"{ref} <= {_lit(cond['max'])}")
        return " and ".join(parts)
    raise ValueError(f"no SurveyJS equivalent for {op!r}")


def to_surveyjs(bank: dict[str, Any]) -> dict[str, Any]:
    kinds = {q["id"]: q["kind"] for p in PHASES for q in bank["sections"][p]["questions"]}
    pages = []
    for phase in PHASES:
        elements = []
        for q in bank["sections"][phase]["questions"]:
            el: dict[str, Any] = {"name": q["id"], "title": q["text"], "description": q.get("help", "")}
            kind = q["kind"]
            if kind in ("single", "scale", "multi"):
                el["type"] = "checkbox" if kind == "multi" else "radiogroup"
                el["choices"] = [
                    {"value": o["id"], "text": o["label"], **({"score": o["score"]} if "score" in o else {})}
                    for o in q["options"]
                ]
            elif kind == "number":
                el.update(type="text", inputType="number", min=q.get("min"), max=q.get("max"))
            else:
                el["type"] = "comment"
            if "ask_if" in q:
                el["visibleIf"] = expression(q["ask_if"], kinds)
            elements.append(el)
        pages.append({"name": phase, "elements": elements})
    return {"title": bank["manifest"]["title"], "clearInvisibleValues": "onHidden", "pages": pages}


def write_job(bank: dict[str, Any], answers: dict[str, Any], path: str) -> None:
    """The JSON the Node side reads: the survey, the answers, and each question's phase."""
    phase_of = {q["id"]: p for p in PHASES for q in bank["sections"][p]["questions"]}
    job = {"survey": to_surveyjs(bank), "answers": answers, "phase_of": phase_of}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(job, fh)
