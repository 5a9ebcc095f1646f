"""Solver-free candidates: the vectorised eligibility equals the rules, pair by pair."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from wtmatch.assign.candidates import Pool, build_candidates, slot_index
from wtmatch.generate import generate


def naive(scenario):
    """Every (instructor, demand, slot) triple passing H1, H2, H5, H6 — plain loops."""
    out = set()
    for ins in scenario.instructors:
        for school in scenario.schools:
            km = scenario.km_instructor_school(ins, school)
            for dem in school.demands:
                if ins.skills.get(dem.skill, 0) < dem.min_level:
                    continue
                if dem.requires_qualified and not ins.qualified:
                    continue
                if ins.max_travel_km is not None and km > ins.max_travel_km:
                    continue
                if ins.regions is not None and (school.region not in ins.regions):
                    continue
                if ins.capacity == 0 or ins.max_schools == 0:
                    continue
                if dem.same_instructor == "hard" and not set(dem.slots) <= set(ins.available):
                    continue
                for slot in dem.slots:
                    if slot in ins.available:
                        out.add((ins.id, dem.id, slot_index(slot)))
    return out


@given(st.integers(1, 30), st.integers(1, 20), st.integers(0, 10**6), st.booleans())
def test_candidates_equal_the_rules(n_ins, n_sch, seed, tight):
    scenario = generate(n_ins, n_sch, seed=seed, tight=tight)
    pool = Pool.of(scenario)
    cands = build_candidates(pool)
    got = {(pool.instructor_ids[i], pool.demand_ids[d], t)
           for i, d, t in zip(cands.i.tolist(), cands.d.tolist(), cands.t.tolist(), strict=True)}
    assert got == naive(scenario)
    assert len(got) == len(cands)  # each triple once


@given(st.integers(1, 30), st.integers(1, 20), st.integers(0, 10**6))
def test_distance_matrix_equals_the_scalar_rule(n_ins, n_sch, seed):
    scenario = generate(n_ins, n_sch, seed=seed)
    pool = Pool.of(scenario)
    for a, ins in enumerate(scenario.instructors):
        for b, school in enumerate(scenario.schools):
            assert pool.km[a, b] == scenario.km_instructor_school(ins, school)
    for a, s1 in enumerate(scenario.schools):
        for b, s2 in enumerate(scenario.schools):
            assert pool.school_km[a, b] == scenario.km_schools(s1, s2)


def test_values_are_coverage_plus_preference():
    scenario = generate(20, 10, seed=4)
    pool = Pool.of(scenario)
    c = build_candidates(pool)
    w = scenario.settings.weights
    for p in range(0, len(c), 7):
        ins = scenario.instructors[c.i[p]]
        school = scenario.schools[c.s[p]]
        dem = scenario.demand_by_id[pool.demand_ids[c.d[p]]]
        pref = ins.preferences.get(school.id, 0) + school.preferences.get(ins.id, 0)
        assert c.value[p] == w.coverage * dem.priority + w.preference * pref
    assert np.all(np.diff(c.i) >= 0)
