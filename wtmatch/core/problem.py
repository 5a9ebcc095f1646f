"""The core problem as sparse arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class AssignmentCore:
    """Agents with capacities, tasks with seats, and sparse eligible pairs.

    Choose a set of pairs so that every agent's resource use stays within its
    capacity and every task gets at most (``exact``: exactly) its seats;
    maximise the chosen pairs' total value.

    Attributes
    ----------
    capacity : ndarray of int, shape (A,)
        Resource each agent has.
    seats : ndarray of int, shape (T,)
        Pairs each task takes at most (exactly, when ``exact``).
    agent, task : ndarray of int, shape (P,)
        The eligible (agent, task) pairs; no pair occurs twice.
    value : ndarray of int, shape (P,)
        What choosing the pair is worth (negate costs to minimise).
    use : ndarray of int, shape (P,)
        Resource the pair takes from its agent (≥ 0).
    exact : bool
        Every task's seats must all be filled (the GAP: every job assigned).
    """

    capacity: np.ndarray
    seats: np.ndarray
    agent: np.ndarray
    task: np.ndarray
    value: np.ndarray
    use: np.ndarray
    exact: bool = False

    def __post_init__(self) -> None:
        for name in ("capacity", "seats", "agent", "task", "value", "use"):
            object.__setattr__(self, name, np.ascontiguousarray(getattr(self, name), dtype=np.int64))
        n = len(self.agent)
        for name in ("task", "value", "use"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"AssignmentCore: '{name}' has {len(getattr(self, name))} "
                                 f"entries, 'agent' has {n}")
        if n and (self.agent.min() < 0 or self.agent.max() >= self.n_agents):
            raise ValueError("AssignmentCore: an agent index is outside 0..A-1")
        if n and (self.task.min() < 0 or self.task.max() >= self.n_tasks):
            raise ValueError("AssignmentCore: a task index is outside 0..T-1")
        if (self.use < 0).any() or (self.capacity < 0).any() or (self.seats < 0).any():
            raise ValueError("AssignmentCore: uses, capacities and seats must be ≥ 0")
        if n and len(np.unique(self.agent * self.n_tasks + self.task)) != n:
            raise ValueError("AssignmentCore: an (agent, task) pair occurs twice")

    @property
    def n_agents(self) -> int:
        return len(self.capacity)

    @property
    def n_tasks(self) -> int:
        return len(self.seats)

    def __len__(self) -> int:
        return len(self.agent)

    @classmethod
    def from_dense(cls, value: np.ndarray, use: np.ndarray, capacity: np.ndarray,
                   seats: np.ndarray | None = None, exact: bool = True,
                   eligible: np.ndarray | None = None) -> AssignmentCore:
        """A core from (A, T) matrices; every pair eligible unless ``eligible`` says not.

        For the GAP in its minimisation form pass ``value=-cost``.
        """
        value = np.asarray(value)
        a, t = np.nonzero(np.ones(value.shape, dtype=bool) if eligible is None else eligible)
        n_tasks = value.shape[1]
        return cls(capacity=np.asarray(capacity), seats=np.ones(n_tasks) if seats is None else seats,
                   agent=a, task=t, value=value[a, t], use=np.asarray(use)[a, t], exact=exact)

    def load(self, chosen: np.ndarray) -> np.ndarray:
        """Resource used per agent by the chosen pair positions."""
        return np.bincount(self.agent[chosen], weights=self.use[chosen],
                           minlength=self.n_agents).astype(np.int64)

    def filled(self, chosen: np.ndarray) -> np.ndarray:
        """Seats filled per task by the chosen pair positions."""
        return np.bincount(self.task[chosen], minlength=self.n_tasks)

    def violations(self, chosen: np.ndarray) -> list[str]:
        """What the chosen pair positions break, in words (empty when feasible)."""
        chosen = np.asarray(chosen, dtype=np.int64)
        out = []
        if len(np.unique(chosen)) != len(chosen):
            out.append("a pair is chosen twice")
        over = np.flatnonzero(self.load(chosen) > self.capacity)
        out += [f"agent {a} uses {self.load(chosen)[a]} > capacity {self.capacity[a]}" for a in over]
        filled = self.filled(chosen)
        bad = np.flatnonzero((filled != self.seats) if self.exact else (filled > self.seats))
        out += [f"task {t} has {filled[t]} of {self.seats[t]} seats" for t in bad]
        return out

    def objective(self, chosen: np.ndarray) -> int:
        """Total value of the chosen pair positions."""
        return int(self.value[np.asarray(chosen, dtype=np.int64)].sum())

    def subset(self, keep: np.ndarray) -> tuple[AssignmentCore, np.ndarray]:
        """The same agents and tasks with only the pairs in ``keep`` (mask or positions).

        Returns the smaller core and, per its pair, the position in this one.
        """
        pos = np.flatnonzero(keep) if np.asarray(keep).dtype == bool else np.sort(np.asarray(keep))
        sub = AssignmentCore(self.capacity, self.seats, self.agent[pos], self.task[pos],
                             self.value[pos], self.use[pos], self.exact)
        return sub, pos
