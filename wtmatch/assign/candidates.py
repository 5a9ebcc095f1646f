"""Eligible (instructor, demand, slot) triples for part A, computed with numpy.

A triple becomes a candidate only when it passes the rules that depend on
the triple alone: H1 skill, H2 availability, H5 qualification and H6 travel
(distance and regions). Everything is vectorised over arrays of instructors
and demands; no Python loop visits every instructor × demand pair. This
module imports no solver.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from wtmatch.geo import haversine_km, haversine_matrix_km, round_km
from wtmatch.scenario import Scenario, WeeklySlot

N_SLOTS = 10  # weekly teaching slots: 5 days × morning/afternoon
MODE_NONE, MODE_SOFT, MODE_HARD = 0, 1, 2
_MODES = {"none": MODE_NONE, "soft": MODE_SOFT, "hard": MODE_HARD}
_BIG = np.iinfo(np.int32).max
UNLIMITED = _BIG   # a cap (max_schools, max_absent_per_slot) that was not given


def slot_index(slot: WeeklySlot) -> int:
    """Teaching slot 0..9 (day × 2 + part) of a morning or afternoon slot."""
    return slot.day * 2 + slot.part


def slot_of(index: int) -> WeeklySlot:
    """The weekly slot of teaching slot ``index``."""
    return WeeklySlot(index // 2, index % 2)


def km_matrix(scenario: Scenario, a_ids: list[str], a_locs: list, b_ids: list[str],
              b_locs: list) -> np.ndarray:
    """Integer km between two lists of located things, exactly as DOMAIN.md rounds them.

    Vectorised haversine; entries within a hair of a .5 boundary are redone
    with the scalar formula so that rounding matches :mod:`wtmatch.geo` to
    the unit. Missing locations give 0; ``travel_km`` overrides win.
    """
    n, m = len(a_ids), len(b_ids)
    out = np.zeros((n, m), dtype=np.int64)
    a_has = np.array([loc is not None for loc in a_locs], dtype=bool)
    b_has = np.array([loc is not None for loc in b_locs], dtype=bool)
    if a_has.any() and b_has.any():
        a = np.array([(loc.lat, loc.lon) for loc in a_locs if loc is not None], dtype=float)
        b = np.array([(loc.lat, loc.lon) for loc in b_locs if loc is not None], dtype=float)
        raw = haversine_matrix_km(a, b)
        ia, ib = np.flatnonzero(a_has), np.flatnonzero(b_has)
        rounded = np.rint(raw)
        close = np.abs(raw - np.floor(raw) - 0.5) < 1e-7  # float noise is ~1e-12 km
        for r, c in zip(*np.nonzero(close), strict=True):
            la, lb = a[r], b[c]
            rounded[r, c] = round_km(haversine_km(la[0], la[1], lb[0], lb[1]))
        out[np.ix_(ia, ib)] = rounded.astype(np.int64)
    if scenario.travel_km:
        a_pos = {x: k for k, x in enumerate(a_ids)}
        b_pos = {x: k for k, x in enumerate(b_ids)}
        for t in scenario.travel_km:
            for x, y in ((t.from_, t.to), (t.to, t.from_)):
                if x in a_pos and y in b_pos:
                    out[a_pos[x], b_pos[y]] = round_km(t.km)
    return out


@dataclass(frozen=True)
class Pool:
    """Part A of a scenario as arrays, indexed by position.

    Instructors ``i``, schools ``s``, demands ``d`` (flattened over schools),
    skills ``k``, teaching slots ``t``.
    """

    scenario: Scenario
    level: np.ndarray          # (I, K) int: skill level, 0 when absent
    qualified: np.ndarray      # (I,) bool
    available: np.ndarray      # (I, 10) bool
    capacity: np.ndarray       # (I,) int: effective max_dayparts
    min_dayparts: np.ndarray   # (I,) int
    max_schools: np.ndarray    # (I,) int (huge when unlimited)
    max_travel: np.ndarray     # (I,) float (inf when unlimited)
    region_ok: np.ndarray      # (I, S) bool: H6's region part
    employer: np.ndarray       # (I,) int, -1 without employer
    employer_cap: np.ndarray   # (E,) int (huge when unlimited)
    km: np.ndarray             # (I, S) int: km(home, school)
    pref: np.ndarray           # (I, S) int: instructor's pref for school + school's for instructor
    d_skill: np.ndarray        # (D,) int
    d_min_level: np.ndarray    # (D,) int
    d_qualified: np.ndarray    # (D,) bool
    d_school: np.ndarray       # (D,) int
    d_slots: np.ndarray        # (D, 10) bool
    d_needed: np.ndarray       # (D,) int
    d_priority: np.ndarray     # (D,) int
    d_mode: np.ndarray         # (D,) int: MODE_NONE / MODE_SOFT / MODE_HARD
    i_weeks: np.ndarray        # (I,) int: weeks(p) of the instructor copy's period (§8), else 1
    d_weeks: np.ndarray        # (D,) int: the same for demands
    s_weeks: np.ndarray        # (S,) int: the same for schools
    s_reach: np.ndarray        # (S,) int: the school's reach (S8)
    i_person: np.ndarray       # (I,) int: the person of each instructor copy (S9)
    handover: np.ndarray       # (H, 2) int: demand copies in consecutive periods (S9)
    i_period: np.ndarray       # (I,) int: period (position in date order) of each copy, else 0
    d_period: np.ndarray       # (D,) int: the same for demands
    instructor_ids: list[str]
    school_ids: list[str]
    demand_ids: list[str]
    skill_names: list[str]
    employer_ids: list[str]

    @cached_property
    def school_km(self) -> np.ndarray:
        """(S, S) int km between schools (H8); built on first use."""
        s_ids = self.school_ids
        s_locs = [s.location for s in self.scenario.schools]
        return km_matrix(self.scenario, s_ids, s_locs, s_ids, s_locs)

    @cached_property
    def instructor_pos(self) -> dict[str, int]:
        return {x: k for k, x in enumerate(self.instructor_ids)}

    @cached_property
    def demand_pos(self) -> dict[str, int]:
        return {x: k for k, x in enumerate(self.demand_ids)}

    @classmethod
    def of(cls, scenario: Scenario) -> Pool:
        """Build the arrays of a scenario's part A.

        A scenario with periods (§8) is unfolded first: the pool's
        instructors, demands and schools are then the per-period copies
        (:mod:`wtmatch.assign.unfold`).
        """
        if scenario.periods and scenario.period_copies is None:
            from wtmatch.assign.unfold import unfold  # the unfolding builds on this module's users
            scenario = unfold(scenario)
        ins, schools = scenario.instructors, scenario.schools
        demands = [d for s in schools for d in s.demands]
        d_school = np.array([k for k, s in enumerate(schools) for _ in s.demands], dtype=np.int64)
        skills = sorted({k for i in ins for k in i.skills} | {d.skill for d in demands})
        k_pos = {k: n for n, k in enumerate(skills)}
        level = np.zeros((len(ins), len(skills)), dtype=np.int64)
        for n, i in enumerate(ins):
            for k, lv in i.skills.items():
                level[n, k_pos[k]] = lv
        available = np.zeros((len(ins), N_SLOTS), dtype=bool)
        for n, i in enumerate(ins):
            available[n, [slot_index(s) for s in i.available]] = True
        d_slots = np.zeros((len(demands), N_SLOTS), dtype=bool)
        for n, d in enumerate(demands):
            d_slots[n, [slot_index(s) for s in d.slots]] = True

        s_pos = {s.id: k for k, s in enumerate(schools)}
        regions = sorted({s.region for s in schools if s.region is not None})
        r_pos = {r: k for k, r in enumerate(regions)}
        school_region = np.array([r_pos.get(s.region, -1) if s.region else -1 for s in schools],
                                 dtype=np.int64)
        allowed = np.zeros((len(ins), len(regions) + 1), dtype=bool)  # last column: no region
        unrestricted = np.array([i.regions is None for i in ins], dtype=bool)
        for n, i in enumerate(ins):
            for r in i.regions or ():
                if r in r_pos:
                    allowed[n, r_pos[r]] = True
        region_ok = unrestricted[:, None] | allowed[:, school_region]
        region_ok &= unrestricted[:, None] | (school_region >= 0)[None, :]

        e_pos = {e.id: k for k, e in enumerate(scenario.employers)}
        i_pos = {i.id: k for k, i in enumerate(ins)}
        pref = np.zeros((len(ins), len(schools)), dtype=np.int64)
        for n, i in enumerate(ins):
            for sid, p in i.preferences.items():
                pref[n, s_pos[sid]] += p
        for k, s in enumerate(schools):
            for iid, p in s.preferences.items():
                pref[i_pos[iid], k] += p

        s_ids, s_locs = [s.id for s in schools], [s.location for s in schools]
        d_ids = [d.id for d in demands]
        pc = scenario.period_copies
        if pc is None:
            i_weeks = np.ones(len(ins), dtype=np.int64)
            d_weeks = np.ones(len(demands), dtype=np.int64)
            s_weeks = np.ones(len(schools), dtype=np.int64)
            i_person = np.arange(len(ins), dtype=np.int64)
            handover = np.zeros((0, 2), dtype=np.int64)
            i_period = np.zeros(len(ins), dtype=np.int64)
            d_period = np.zeros(len(demands), dtype=np.int64)
        else:
            i_weeks = np.array([pc.weeks_of(i.id) for i in ins], dtype=np.int64)
            d_weeks = np.array([pc.weeks_of(d) for d in d_ids], dtype=np.int64)
            s_weeks = np.array([pc.weeks_of(x) for x in s_ids], dtype=np.int64)
            people = {p: k for k, p in enumerate(dict.fromkeys(pc.person(i.id) for i in ins))}
            i_person = np.array([people[pc.person(i.id)] for i in ins], dtype=np.int64)
            d_pos = {d: k for k, d in enumerate(d_ids)}
            handover = np.array([(d_pos[a], d_pos[b]) for a, b in pc.handover],
                                dtype=np.int64).reshape(-1, 2)
            p_pos = {p: k for k, p in enumerate(pc.periods)}
            i_period = np.array([p_pos[pc.origin[i.id][1]] for i in ins], dtype=np.int64)
            d_period = np.array([p_pos[pc.origin[d][1]] for d in d_ids], dtype=np.int64)
        return cls(
            scenario=scenario, level=level,
            qualified=np.array([i.qualified for i in ins], dtype=bool),
            available=available,
            capacity=np.array([i.capacity for i in ins], dtype=np.int64),
            min_dayparts=np.array([i.min_dayparts for i in ins], dtype=np.int64),
            max_schools=np.array([_BIG if i.max_schools is None else i.max_schools for i in ins],
                                 dtype=np.int64),
            max_travel=np.array([np.inf if i.max_travel_km is None else i.max_travel_km
                                 for i in ins], dtype=float),
            region_ok=region_ok,
            employer=np.array([e_pos[i.employer] if i.employer else -1 for i in ins],
                              dtype=np.int64),
            employer_cap=np.array([_BIG if e.max_absent_per_slot is None else e.max_absent_per_slot
                                   for e in scenario.employers], dtype=np.int64),
            km=km_matrix(scenario, [i.id for i in ins], [i.location for i in ins], s_ids, s_locs),
            pref=pref,
            d_skill=np.array([k_pos[d.skill] for d in demands], dtype=np.int64),
            d_min_level=np.array([d.min_level for d in demands], dtype=np.int64),
            d_qualified=np.array([d.requires_qualified for d in demands], dtype=bool),
            d_school=d_school,
            d_slots=d_slots,
            d_needed=np.array([d.instructors_needed for d in demands], dtype=np.int64),
            d_priority=np.array([d.priority for d in demands], dtype=np.int64),
            d_mode=np.array([_MODES[d.same_instructor] for d in demands], dtype=np.int64),
            i_weeks=i_weeks, d_weeks=d_weeks, s_weeks=s_weeks,
            s_reach=np.array([s.reach for s in schools], dtype=np.int64),
            i_person=i_person, handover=handover, i_period=i_period, d_period=d_period,
            instructor_ids=[i.id for i in ins], school_ids=s_ids,
            demand_ids=d_ids, skill_names=skills,
            employer_ids=[e.id for e in scenario.employers],
        )

    # ---- the pair-level rules, as masks over a block of instructors × demands --
    def skill_ok(self, ii: slice = slice(None), dd: slice = slice(None)) -> np.ndarray:
        """H1 for every pair of the block."""
        return self.level[ii][:, self.d_skill[dd]] >= self.d_min_level[None, dd]

    def qualification_ok(self, ii: slice = slice(None), dd: slice = slice(None)) -> np.ndarray:
        """H5 for every pair of the block."""
        return self.qualified[ii, None] | ~self.d_qualified[None, dd]

    def distance_ok(self, ii: slice = slice(None), dd: slice = slice(None)) -> np.ndarray:
        """H6 distance part for every pair of the block."""
        return self.km[ii][:, self.d_school[dd]] <= self.max_travel[ii, None]

    def regions_ok(self, ii: slice = slice(None), dd: slice = slice(None)) -> np.ndarray:
        """H6 region part for every pair of the block."""
        return self.region_ok[ii][:, self.d_school[dd]]

    def blocks(self) -> list[tuple[slice, slice]]:
        """(instructors, demands) of each period: the only pairs H13 allows (§8).

        Copies come period by period (:mod:`wtmatch.assign.unfold`); without
        periods there is one block of everything.
        """
        if self.scenario.period_copies is None:
            return [(slice(None), slice(None))]
        out = []
        for k in range(len(self.scenario.period_copies.periods)):
            ii, dd = np.flatnonzero(self.i_period == k), np.flatnonzero(self.d_period == k)
            if len(ii) and len(dd):
                out.append((slice(int(ii[0]), int(ii[-1]) + 1), slice(int(dd[0]), int(dd[-1]) + 1)))
        return out


@dataclass(frozen=True)
class Candidates:
    """The sparse eligible triples and what each is worth.

    Attributes
    ----------
    i, d, t, s : ndarray of int
        Instructor, demand, teaching slot and school of each triple, sorted
        by (i, d, t).
    value : ndarray of int
        S1 + S4 of filling the seat with this triple (times ``weeks(p)`` of
        its period, §8).
    """

    pool: Pool
    i: np.ndarray
    d: np.ndarray
    t: np.ndarray
    s: np.ndarray
    value: np.ndarray

    def __len__(self) -> int:
        return len(self.i)

    @cached_property
    def index(self) -> dict[tuple[int, int, int], int]:
        """Position of each (i, d, t) triple."""
        return {(a, b, c): n for n, (a, b, c) in
                enumerate(zip(self.i.tolist(), self.d.tolist(), self.t.tolist(), strict=True))}

    def find(self, instructor: str, demand: str, slot: WeeklySlot,
             period: str | None = None) -> int | None:
        """Position of a row given by ids (and period, §8), or None when it is not eligible."""
        if period is not None and self.pool.scenario.period_copies is not None:
            instructor, demand = f"{instructor}@{period}", f"{demand}@{period}"
        i = self.pool.instructor_pos.get(instructor)
        d = self.pool.demand_pos.get(demand)
        if i is None or d is None or slot.part > 1:
            return None
        return self.index.get((i, d, slot_index(slot)))

    def find_rows(self, rows) -> list[int | None]:
        """Position of each (instructor, demand, slot) row (pins, plans); None when not eligible."""
        return [self.find(r.instructor, r.demand, r.slot, getattr(r, "period", None))
                for r in rows]


def eligible_pairs(pool: Pool, ii: slice = slice(None), dd: slice = slice(None)) -> np.ndarray:
    """Mask of the block's pairs passing H1, H5 and H6."""
    return (pool.skill_ok(ii, dd) & pool.qualification_ok(ii, dd) & pool.distance_ok(ii, dd)
            & pool.regions_ok(ii, dd))


def build_candidates(pool: Pool) -> Candidates:
    """Every eligible (instructor, demand, slot) triple.

    Pairs must pass H1, H5 and H6 and share a slot (H2). For a demand with
    hard continuity, an instructor is a candidate only when available in all
    of its slots, since H11 gives every slot the same instructors. Instructors
    with no capacity or no schools allowed get none. With periods, pairs are
    formed within each period's block only (H13).
    """
    found_i, found_d = [], []
    for ii, dd in pool.blocks():
        pairs = eligible_pairs(pool, ii, dd)
        pairs &= ((pool.capacity[ii] > 0) & (pool.max_schools[ii] > 0))[:, None]
        hard = pool.d_mode[dd] == MODE_HARD
        if hard.any():
            # available[i] ⊇ slots[d]  ⇔  no slot of d outside i's availability
            missing = ((~pool.available[ii]).astype(np.int64)
                       @ pool.d_slots[dd][hard].T.astype(np.int64))
            pairs[:, hard] &= missing == 0
        bi, bd = np.nonzero(pairs)
        found_i.append(bi + (ii.start or 0))
        found_d.append(bd + (dd.start or 0))
    pi = np.concatenate(found_i) if found_i else np.zeros(0, dtype=np.int64)
    pd_ = np.concatenate(found_d) if found_d else np.zeros(0, dtype=np.int64)
    common = pool.available[pi] & pool.d_slots[pd_]
    row, t = np.nonzero(common)
    i, d = pi[row], pd_[row]
    s = pool.d_school[d]
    w = pool.scenario.settings.weights
    # S1 and S4 of a row in period p count weeks(p) times (§8)
    value = (w.coverage * pool.d_priority[d] + w.preference * pool.pref[i, s]) * pool.d_weeks[d]
    return Candidates(pool=pool, i=i, d=d, t=t, s=s, value=value.astype(np.int64))
