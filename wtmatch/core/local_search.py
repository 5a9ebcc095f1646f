"""Shift and swap descent on a core plan (dense, vectorised per sweep).

A *shift* moves one chosen pair's task to another agent with room; a *swap*
exchanges the tasks of two chosen pairs on different agents. Every sweep
evaluates all moves of one kind at once with numpy and applies the improving
ones best-first, re-checking each against the capacities it changed.
"""

from __future__ import annotations

import time

import numpy as np

from wtmatch.core.dense import dense, dense_ok
from wtmatch.core.problem import AssignmentCore


def local_search(core: AssignmentCore, chosen: np.ndarray, seconds: float = 1.0,
                 block: int = 512) -> np.ndarray:
    """Improve a feasible plan (chosen pair positions) by shifts and swaps until none helps.

    Returns the improved plan; its objective is never lower and it stays feasible.
    Cores too big for dense matrices are returned unchanged.
    """
    chosen = np.asarray(chosen, dtype=np.int64)
    if len(chosen) == 0 or not dense_ok(core) or core.violations(chosen):
        return chosen
    v, u, pos = dense(core)
    agent = core.agent[chosen].copy()
    task = core.task[chosen].copy()
    holds = np.zeros(v.shape, dtype=bool)
    holds[agent, task] = True
    slack = core.capacity - core.load(chosen)
    end = time.perf_counter() + seconds
    with np.errstate(invalid="ignore"):  # −inf − (−inf) on ineligible cells is masked out
        while time.perf_counter() < end:
            moved = _shifts(v, u, holds, slack, agent, task)
            moved += _swaps(v, u, holds, slack, agent, task, block, end)
            if not moved:
                break
    return np.sort(pos[agent, task])


def _shifts(v, u, holds, slack, agent, task) -> int:
    cur = v[agent, task]
    gain = v[:, task] - cur[None, :]
    ok = (u[:, task] <= slack[:, None]) & ~holds[:, task] & (gain > 1e-9)
    ok &= np.isfinite(gain)
    if not ok.any():
        return 0
    gain = np.where(ok, gain, -np.inf)
    dest = np.argmax(gain, axis=0)
    best = gain[dest, np.arange(len(task))]
    moved = 0
    for k in np.argsort(-best).tolist():
        if not np.isfinite(best[k]):
            break
        a, b, t = agent[k], dest[k], task[k]
        if u[b, t] > slack[b] or holds[b, t]:
            continue
        holds[a, t], holds[b, t] = False, True
        slack[a] += u[a, t]
        slack[b] -= u[b, t]
        agent[k] = b
        moved += 1
    return moved


def _swaps(v, u, holds, slack, agent, task, block, end) -> int:
    n = len(task)
    moved = 0
    for s in range(0, n, block):
        if time.perf_counter() > end:
            break
        r = np.arange(s, min(n, s + block))
        p, t1 = agent[r][:, None], task[r][:, None]
        q, t2 = agent[None, :], task[None, :]
        gain = v[q, t1] + v[p, t2] - v[p, t1] - v[q, t2]
        ok = (p != q) & (gain > 1e-9) & np.isfinite(gain)
        ok &= slack[p] + u[p, t1] - u[p, t2] >= 0
        ok &= slack[q] + u[q, t2] - u[q, t1] >= 0
        ok &= ~holds[q, t1] & ~holds[p, t2]
        if not ok.any():
            continue
        rows, cols = np.nonzero(ok)
        g = gain[rows, cols]
        for idx in np.argsort(-g).tolist():
            i, j = int(r[rows[idx]]), int(cols[idx])
            a, b, x, y = agent[i], agent[j], task[i], task[j]
            # re-check: earlier swaps in this block may have changed these pairs
            if a == b or holds[b, x] or holds[a, y]:
                continue
            if v[b, x] + v[a, y] - v[a, x] - v[b, y] <= 1e-9:
                continue
            if slack[a] + u[a, x] - u[a, y] < 0 or slack[b] + u[b, y] - u[b, x] < 0:
                continue
            holds[a, x] = holds[b, y] = False
            holds[b, x] = holds[a, y] = True
            slack[a] += u[a, x] - u[a, y]
            slack[b] += u[b, y] - u[b, x]
            agent[i], agent[j] = b, a
            moved += 1
    return moved
