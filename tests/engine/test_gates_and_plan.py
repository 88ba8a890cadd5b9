"""Gates, derived duties, cross-checks and the action plan, on the shipped bank."""

from __future__ import annotations

from pathlib import Path

from flows import Assessment
from flows.answers_file import read_answers, run_answers
from flows.owners import owner_and_due
from question_banks.loader import load_bank

CASEBOOK = Path(__file__).parents[1] / "casebook"


def case(name: str, **changes: object) -> Assessment:
    bank = load_bank()
    answers = read_answers(next(CASEBOOK.glob(f"*-{name}.yaml")))
    answers.answers.update(changes)  # type: ignore[arg-type]
    return run_answers(bank, answers).assessment


def test_the_same_gap_is_a_condition_before_its_gate_and_a_blocker_once_reached() -> None:
    design = case("design-child-risk-model").summary(final=True)
    flag = next(c for c in design.conditions if c.question_id == "F6")
    assert flag.gate == "pilot" and flag.message.startswith("Before any pilot or go-live")
    approval = case("design-child-risk-model", S1="approval").summary(final=True)
    assert any(b.question_id == "F6" for b in approval.blockers)
    assert approval.gate == "pilot" and design.gate == "pilot"


def test_a_live_tool_is_never_told_before_go_live() -> None:
    s = case("live-da-triage-unknowns").summary(final=True)
    texts = [f.message for f in (*s.blockers, *s.conditions)] + [a.action for a in s.actions]
    assert not any("before go-live" in t.lower() or "before any pilot" in t.lower() for t in texts)
    assert {"E1", "D2", "D5"} <= {b.question_id for b in s.blockers}


def test_screened_out_does_not_meet_a_derived_dpia_duty() -> None:
    s = case("pilot-retrospective-fr-dpia-screened-out").summary(final=True)
    duty = next(b for b in s.blockers if b.question_id == "D5")
    assert duty.source == "duty" and "not needed" in duty.message
    # With the DPIA complete the duty is met and the verdict no longer rests on it.
    done = case("pilot-retrospective-fr-dpia-screened-out", D5="completed", D5a="everyone").summary(final=True)
    assert not any(b.question_id == "D5" for b in done.blockers)


def test_nobody_deciding_about_people_brings_the_automated_decision_floor_and_duty() -> None:
    s = case("live-custody-risk-score-nobody-decides").summary(final=True)
    assert s.impact_tier == 3 and any(b.question_id == "E7" for b in s.blockers)
    # C2b (the safeguards) is only asked after a "significant" C2a: the duty stands on the answer that raised it.
    (duty,) = [b for b in s.blockers if b.source == "duty" and "automated" in b.message]
    assert duty.question_id == "E7"
    check = next(i for i in s.inconsistencies if i.question_ids == ["C2", "E7"])
    assert check.message.startswith("Earlier you said") and "which is right?" in check.message


def test_an_inconsistency_is_reported_at_the_step_that_causes_it() -> None:
    bank = load_bank()
    a = Assessment(bank)
    a.start()
    # An individual-scoring tool described first as a recommendation that an officer decides.
    given = {"S1": "live", "S2": "statistical", "S3": "personal", "S4": "part3", "S5": "in_house", "C1": "people"}
    given |= {"C1a": ["oocd"], "C2": "recommendation"}
    while a.current is None or a.current.id != "E7":
        if a.in_review:
            a.proceed()
            continue
        q = a.current
        assert q is not None
        result = a.answer(given[q.id]) if q.id in given else a.answer("x") if q.kind == "text" else a.skip()
        assert result.inconsistencies == []
    result = a.answer("none")
    assert [i.id for i in result.inconsistencies] == ["nobody-decides"]
    assert a.inconsistencies()[0].question_ids == ["C2", "E7"]


def test_plan_entries_merge_one_gap_and_carry_owner_and_due_from_the_plan_answer() -> None:
    s = case("approval-child-risk-unvalidated").summary(final=True)
    fairness = [a for a in s.actions if a.theme == "equality_bias"]
    assert len(fairness) == 1 and {"F6"} <= set(fairness[0].question_ids)
    validation = next(a for a in s.actions if "F5" in a.question_ids)
    assert validation.priority == "blocker"
    dpia = next(a for a in s.actions if "D5" in a.question_ids)
    assert dpia.owner == "DPO" or dpia.owner.startswith("DPO")


def test_action_ids_are_stable_across_runs() -> None:
    first = [a.id for a in case("live-lfr-bridges-failings").summary(final=True).actions]
    second = [a.id for a in case("live-lfr-bridges-failings").summary(final=True).actions]
    assert first == second and len(set(first)) == len(first)


def test_no_summary_has_more_than_twelve_head_entries() -> None:
    s = case("idea-lfr-festival").summary(final=True)
    assert len(s.actions) > 12
    assert sum(1 for a in s.actions if not a.appendix) == 12
    assert [a.appendix for a in s.actions] == sorted(a.appendix for a in s.actions)


def test_owner_and_due_are_read_from_free_text() -> None:
    assert owner_and_due("DPO (Jane Smith), by 2027-01-31.") == ("DPO (Jane Smith)", "2027-01-31")
    assert owner_and_due("Force solicitor, by 31 March 2027") == ("Force solicitor", "31 March 2027")
    assert owner_and_due("Head of IT") == ("Head of IT", "")


def test_a_plan_entry_does_not_repeat_its_headline_in_other_words() -> None:
    from flows.plan import restates

    headline = "Consult affected communities or their representatives and document how you responded to their concerns."
    assert restates("Consult affected communities and document your response to their concerns.", headline)
    # A message that adds a different requirement stays beside the headline.
    assert not restates(
        "Secure contract rights to audit and inspect the tool, notice of changes, data re-use limits and an exit route.",
        "Add contract terms that forbid supplier re-use of force data and require its return or deletion.",
    )


def test_an_owner_named_inside_a_longer_plan_answer_is_picked_out() -> None:
    from flows.owners import owner_and_due

    assert owner_and_due("Recall is lower for boys. Owner: data lab lead; re-weighting to be done by 2027-03-31.") == (
        "data lab lead",
        "2027-03-31",
    )
    assert owner_and_due("Deletion at the end. Owner: force solicitor, before 2027-02-28.") == (
        "force solicitor",
        "2027-02-28",
    )
    assert owner_and_due("DPO (Jane Smith), by 2027-01-31") == ("DPO (Jane Smith)", "2027-01-31")
    assert owner_and_due("Legal to confirm (legal services, by 2027-02-28).") == (
        "legal services",
        "2027-02-28",
    )
