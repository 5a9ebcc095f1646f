"""A greedy plan for part A: what a planner does by hand, fast and always feasible.

Seats are filled in order of value (priority first, then preference, then
travel), keeping every hard rule; a demand with hard continuity is filled
whole or not at all. When an instructor is placed on a demand, the demand's
other slots are offered to the same instructor first, which is what S3
rewards. Pins are placed first and kept when they fit.

It is CP-SAT's warm start, the plan of last resort, and the "by hand"
baseline of the benchmarks.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from wtmatch.assign.candidates import MODE_HARD, Candidates

Triple = tuple[int, int, int, int, int]  # (position, i, d, t, s)


class _State:
    """Counters of a partial plan: enough to test H3, H4, H7, H8, H9 and H12 in O(1)."""

    def __init__(self, cands: Candidates) -> None:
        pool = cands.pool
        self.busy: set[tuple[int, int]] = set()
        self.used = [0] * len(pool.instructor_ids)
        self.cap = pool.capacity.tolist()
        self.max_schools = pool.max_schools.tolist()
        self.at_school: list[Counter] = [Counter() for _ in pool.instructor_ids]
        self.on_day: dict[tuple[int, int], Counter] = defaultdict(Counter)
        self.employer = pool.employer.tolist()
        self.emp_cap = pool.employer_cap.tolist()
        self.emp_count: Counter = Counter()
        self.fill: Counter = Counter()
        self.needed = pool.d_needed.tolist()
        self.limit = pool.scenario.settings.same_day_max_km
        self.school_km = pool.school_km if self.limit is not None else None
        self.chosen: set[int] = set()

    def fits(self, i: int, d: int, t: int, s: int) -> bool:
        if (i, t) in self.busy or self.fill[(d, t)] >= self.needed[d]:
            return False
        if self.used[i] >= self.cap[i]:
            return False
        schools = self.at_school[i]
        if s not in schools and len(schools) >= self.max_schools[i]:
            return False
        e = self.employer[i]
        if e >= 0 and self.emp_count[(e, t)] >= self.emp_cap[e]:
            return False
        if self.limit is not None:
            for other in self.on_day[(i, t // 2)]:
                if other != s and self.school_km[s, other] > self.limit:
                    return False
        return True

    def add(self, pos: int, i: int, d: int, t: int, s: int) -> None:
        self._count(i, d, t, s, +1)
        self.chosen.add(pos)

    def remove(self, pos: int, i: int, d: int, t: int, s: int) -> None:
        self._count(i, d, t, s, -1)
        self.chosen.discard(pos)

    def _count(self, i: int, d: int, t: int, s: int, k: int) -> None:
        (self.busy.add if k > 0 else self.busy.discard)((i, t))
        self.used[i] += k
        for counter, key in ((self.at_school[i], s), (self.on_day[(i, t // 2)], s),
                             (self.fill, (d, t))):
            counter[key] += k
            if counter[key] == 0:
                del counter[key]
        e = self.employer[i]
        if e >= 0:
            self.emp_count[(e, t)] += k

    def add_all(self, triples: list[Triple]) -> bool:
        """Add every triple or none."""
        added: list[Triple] = []
        for tr in triples:
            if not self.fits(*tr[1:]):
                for undo in reversed(added):
                    self.remove(*undo)
                return False
            self.add(*tr)
            added.append(tr)
        return True


def greedy(cands: Candidates, pins: list[int] = (), hard_only: bool = False) -> np.ndarray:
    """Positions of the candidate triples chosen greedily.

    Parameters
    ----------
    cands : Candidates
    pins : list of int
        Candidate positions that must be in the plan; placed first, each
        kept when it fits.
    hard_only : bool
        Stop after the first phase (pins and hard-continuity demands).

    Returns
    -------
    ndarray of int
        Sorted positions. The selection breaks no hard rule, except H10
        when pins cannot all hold together.
    """
    pool = cands.pool
    st = _State(cands)
    n = len(cands)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    ci, cd, ct, cs = (a.tolist() for a in (cands.i, cands.d, cands.t, cands.s))
    hard = (pool.d_mode == MODE_HARD).tolist()
    needed = pool.d_needed.tolist()
    w = pool.scenario.settings.weights
    score = cands.value - w.travel_km * pool.km[cands.i, cands.s]
    order = np.lexsort((cands.t, cands.i, -score))

    # Candidates are sorted by (i, d, t): each (instructor, demand) pair is a run.
    new_pair = np.ones(n, dtype=bool)
    new_pair[1:] = (cands.i[1:] != cands.i[:-1]) | (cands.d[1:] != cands.d[:-1])
    pair_of = (np.cumsum(new_pair) - 1).tolist()
    starts = np.flatnonzero(new_pair)
    bounds = list(zip(starts.tolist(), np.append(starts[1:], n).tolist(), strict=True))

    def run(pair: int) -> list[Triple]:
        a, b = bounds[pair]
        return [(p, ci[p], cd[p], ct[p], cs[p]) for p in range(a, b)]

    pinned_hard: dict[int, list[int]] = defaultdict(list)
    for p in pins:
        if hard[cd[p]]:
            if pair_of[p] not in pinned_hard[cd[p]]:
                pinned_hard[cd[p]].append(pair_of[p])
        elif p not in st.chosen:
            st.add_all([(p, ci[p], cd[p], ct[p], cs[p])])

    # Hard demands, all or nothing: pinned ones first, then by their best candidate.
    hard_mask = np.asarray(hard, dtype=bool)[cands.d[order]]
    hard_pairs: dict[int, list[int]] = defaultdict(list)
    for p in order[hard_mask].tolist():
        pair = pair_of[p]
        if pair not in hard_pairs[cd[p]]:
            hard_pairs[cd[p]].append(pair)
    for d in list(pinned_hard) + [d for d in hard_pairs if d not in pinned_hard]:
        people: list[int] = []
        for pair in pinned_hard.get(d, []) + hard_pairs[d]:
            if len(people) == needed[d]:
                break
            if pair not in people and st.add_all(run(pair)):
                people.append(pair)
        if len(people) < needed[d]:
            for pair in people:
                if pair not in pinned_hard.get(d, ()):  # a pin stays; the solver names the conflict
                    for tr in run(pair):
                        st.remove(*tr)

    if hard_only:
        return np.array(sorted(st.chosen), dtype=np.int64)
    placed = bytearray(len(bounds))
    fill, busy = st.fill, st.busy
    for p in order[~hard_mask].tolist():
        d, t = cd[p], ct[p]
        if placed[pair_of[p]] or fill[(d, t)] >= needed[d] or (ci[p], t) in busy:
            continue
        if st.fits(ci[p], d, t, cs[p]):
            placed[pair_of[p]] = 1
            # The same instructor takes the demand's other slots first (S3).
            for tr in run(pair_of[p]):
                if tr[0] not in st.chosen and st.fits(*tr[1:]):
                    st.add(*tr)
    return np.array(sorted(st.chosen), dtype=np.int64)


def greedy_by_school(cands: Candidates, pins: list[int] = ()) -> np.ndarray:
    """A greedy that commits an instructor to a whole school at a time.

    Where instructors may work at few schools (``max_schools``), taking a
    single seat commits a whole school; so this greedy ranks (instructor,
    school) *bundles* — every seat the instructor could still fill there —
    by their total value minus travel and fragmentation, commits the best,
    and re-ranks lazily (a bundle's value only falls as seats fill). Hard
    demands and pins are placed first, as in :func:`greedy`.
    """
    import heapq

    pool = cands.pool
    n = len(cands)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    base = greedy(cands, pins) if pins else np.zeros(0, dtype=np.int64)
    st = _State(cands)
    ci, cd, ct, cs = (a.tolist() for a in (cands.i, cands.d, cands.t, cands.s))
    for p in base.tolist():
        st.add(p, ci[p], cd[p], ct[p], cs[p])
    hard = (pool.d_mode == MODE_HARD).tolist()
    # Hard demands first, as the seat greedy places them (it also keeps pins).
    if not pins:
        for p in greedy_hard_only(cands).tolist():
            st.add(p, ci[p], cd[p], ct[p], cs[p])
    w = pool.scenario.settings.weights
    km = pool.km
    value = cands.value.tolist()
    order = np.lexsort((cands.t, -cands.value, cands.s, cands.i))
    bundles: dict[tuple[int, int], list[int]] = defaultdict(list)
    for p in order.tolist():
        if not hard[cd[p]]:
            bundles[(ci[p], cs[p])].append(p)

    def evaluate(key: tuple[int, int]) -> tuple[int, list[int]]:
        i, s = key
        if s not in st.at_school[i] and len(st.at_school[i]) >= st.max_schools[i]:
            return 0, []
        picked: list[int] = []
        total = 0
        days: set[int] = set()
        slots: set[int] = set()
        used = st.used[i]
        for p in bundles[key]:
            d, t = cd[p], ct[p]
            if t in slots or used + len(picked) >= st.cap[i]:
                continue
            if not st.fits(i, d, t, s):
                continue
            picked.append(p)
            slots.add(t)
            total += value[p]
            days.add(t // 2)
        if not picked:
            return 0, []
        new_days = [dd for dd in days if s not in st.on_day.get((i, dd), ())]
        total -= w.travel_km * int(km[i, s]) * len(new_days)
        if s not in st.at_school[i] and st.at_school[i]:
            total -= w.fragmentation
        return total, picked

    heap = []
    for key in bundles:
        v, _ = evaluate(key)
        if v > 0:
            heap.append((-v, key))
    heapq.heapify(heap)
    while heap:
        _, key = heapq.heappop(heap)
        v, picked = evaluate(key)
        if v <= 0:
            continue
        if heap and v < -heap[0][0]:
            heapq.heappush(heap, (-v, key))   # stale: re-rank
            continue
        for p in picked:
            if st.fits(ci[p], cd[p], ct[p], cs[p]):
                st.add(p, ci[p], cd[p], ct[p], cs[p])
        v2, _ = evaluate(key)
        if v2 > 0:
            heapq.heappush(heap, (-v2, key))
    return np.array(sorted(st.chosen), dtype=np.int64)


def greedy_hard_only(cands: Candidates) -> np.ndarray:
    """The hard-continuity part of :func:`greedy`'s plan (its first phase)."""
    return greedy(cands, hard_only=True)


def extend(cands: Candidates, chosen: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """``chosen`` plus each triple of ``extra`` that still fits, best score first.

    ``chosen`` must break no hard rule. Triples of a hard-continuity demand are
    added as a whole (instructor, demand) run or not at all (H11).

    Returns
    -------
    ndarray of int
        Sorted positions.
    """
    pool = cands.pool
    st = _State(cands)
    for p in np.asarray(chosen, dtype=np.int64).tolist():
        st.add(p, int(cands.i[p]), int(cands.d[p]), int(cands.t[p]), int(cands.s[p]))
    w = pool.scenario.settings.weights
    extra = np.asarray(extra, dtype=np.int64)
    score = cands.value[extra] - w.travel_km * pool.km[cands.i[extra], cands.s[extra]]
    hard = pool.d_mode == MODE_HARD
    done: set[tuple[int, int]] = set()
    for p in extra[np.argsort(-score, kind="stable")].tolist():
        i, d = int(cands.i[p]), int(cands.d[p])
        if p in st.chosen or (i, d) in done:
            continue
        if hard[d]:
            done.add((i, d))
            run = np.flatnonzero((cands.i == i) & (cands.d == d)).tolist()
            triples = [(q, i, d, int(cands.t[q]), int(cands.s[q])) for q in run]
            # A team must be complete: only an empty demand needing one instructor
            # can be given one here.
            if pool.d_needed[d] == 1 and len(triples) == int(pool.d_slots[d].sum()) \
                    and st.fill[(d, triples[0][3])] == 0:
                st.add_all(triples)
            continue
        t, s = int(cands.t[p]), int(cands.s[p])
        if st.fits(i, d, t, s):
            st.add(p, i, d, t, s)
    return np.array(sorted(st.chosen), dtype=np.int64)
