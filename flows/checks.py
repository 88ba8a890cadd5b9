"""Derived duties and cross-checks: what earlier answers make mandatory, and answers that contradict.

Both are data in the bank (``scoring.duties`` and ``scoring.cross_checks``), so an organisation's
own bank can state its own. A duty is derived from facts the user gave elsewhere (biometric
matching, decisions about people with nobody deciding), so a later self-report such as "DPIA not
needed" cannot switch it off. A cross-check names two answers that cannot both be right and asks
the user which is, in the conversation and in every report.
"""

from __future__ import annotations

from collections.abc import Mapping

from flows.scoring import Tracker
from flows.session import AnswerRecord
from flows.summary import Inconsistency
from question_banks.schema import Bank, CrossCheck, Duty, Question


def _label(question: Question, record: AnswerRecord | None) -> str:
    if record is None:
        return "(not answered)"
    if record.is_gap:
        return "Don't know" if record.status == "dont_know" else "Skipped"
    value = record.value
    index = question.option_index
    if isinstance(value, list):
        return "; ".join(index[v].label if v in index else v for v in value)
    option = index.get(str(value))
    return option.label if option is not None else str(value)


def inconsistency(bank: Bank, answers: Mapping[str, AnswerRecord], check: CrossCheck) -> Inconsistency:
    earlier, later = bank.by_id[check.earlier], bank.by_id[check.later]
    said = _label(earlier, answers.get(check.earlier))
    says = _label(later, answers.get(check.later))
    message = (
        f"Earlier you said \u201c{said}\u201d ({check.earlier}); this says \u201c{says}\u201d ({check.later}) "
        "\u2014 which is right?"
    )
    if check.note:
        message += f" {check.note.strip()}"
    return Inconsistency.model_construct(
        id=check.id, question_ids=[check.earlier, check.later], message=message, theme=check.theme
    )


def inconsistencies(bank: Bank, tracker: Tracker, about: str | None = None) -> list[Inconsistency]:
    """The cross-checks that hold on the current relevant answers (only those naming ``about``, if given)."""
    out = []
    for check in bank.scoring.cross_checks:
        if about is not None and about not in (check.earlier, check.later):
            continue
        if check.earlier in tracker.facts and check.later in tracker.facts and check.when.evaluate(tracker.facts):
            out.append(inconsistency(bank, tracker.answers, check))
    return out


def unmet_duties(bank: Bank, tracker: Tracker) -> list[Duty]:
    """The duties whose conditions hold but whose question is not answered with a way of meeting them."""
    out = []
    for duty in bank.scoring.duties:
        if not duty.when.evaluate(tracker.facts):
            continue
        fact = tracker.facts.get(duty.question)
        if fact is None or isinstance(fact.value, list) or str(fact.value) not in duty.met_by:
            out.append(duty)
    return out
