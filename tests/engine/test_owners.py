"""Owners read from "plan and owner" answers as people write them (flows/owners.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.owners import owner_and_due


@pytest.mark.parametrize(
    ("text", "owner", "due"),
    [
        # the subject of "X to do" / "X will do" / "X is doing"
        ("HR data lead to start a DPIA (no date).", "HR data lead", ""),
        ("The force solicitor will confirm the employment-law basis by the end of design.", "force solicitor", ""),
        ("The HR data protection lead is drafting the DPIA; DPO review is due before any pilot.", "HR data protection lead", ""),
        ("Information rights officer drafting; DPO review by 2027-03-31.", "Information rights officer", "2027-03-31"),
        ("Equality lead and analyst to test by accent, age and sex (by 2027-05-31).", "Equality lead and analyst", "2027-05-31"),
        # a role in closing brackets, after a ";", after an "owner" marker, before a colon
        ("Recruitment team briefing before launch (HR business partner).", "HR business partner", ""),
        ("Exit clause still to agree at renewal (procurement lead, by 2027-06-30).", "procurement lead", "2027-06-30"),
        ("Missing audit rights and notice of changes; procurement lead (by 2027-03-31).", "procurement lead", "2027-03-31"),
        ("Compare trigger rates by disability, sex, age and ethnicity; owner HR analytics lead.", "HR analytics lead", ""),
        ("IT delivery manager: interfaces and security test by 2027-05-31.", "IT delivery manager", "2027-05-31"),
        # a plain role, title or name stays whole; a date inside brackets leaves none behind
        ("Assistant Chief Constable, Crime and Public Protection", "Assistant Chief Constable, Crime and Public Protection", ""),
        ("DPO (by 2027-04-30).", "DPO", "2027-04-30"),
        ("SRO with legal services (by 2027-04-30).", "SRO with legal services", "2027-04-30"),
        ("Jane Smith, by 31 January 2027", "Jane Smith", "31 January 2027"),
        ("DPO, no date.", "DPO", ""),
        ("Biometrics lead, before any pilot.", "Biometrics lead", "before any pilot"),
        # nobody named: not recorded, never a sentence in the owner column
        ("No owner yet.", "", ""),
        ("None yet; owner not agreed.", "", ""),
        ("Supplier asked for figures.", "", ""),
        ("No audit rights, no disclosure of the classifiers, no change notice; nobody owns the renegotiation.", "", ""),
        ("To be redone, no date.", "", ""),
    ],
)  # fmt: skip
def test_the_owner_is_found_by_its_shape(text: str, owner: str, due: str) -> None:
    assert owner_and_due(text) == (owner, due)


@given(st.text(max_size=300))
def test_any_answer_gives_a_short_owner_with_balanced_brackets(text: str) -> None:
    owner, _ = owner_and_due(text)
    assert len(owner) <= 120 and "\n" not in owner
    depth = 0
    for ch in owner:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0


def test_a_long_owner_is_cut_with_its_brackets_closed() -> None:
    owner, _ = owner_and_due("Owner: " + "Head of a very long department name (" + "x" * 200)
    assert len(owner) <= 120 and owner.endswith("\u2026)")
