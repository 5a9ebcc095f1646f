"""A minimal set of pins that cannot hold together, found with CP-SAT assumptions."""

from __future__ import annotations

from wtmatch.assign.candidates import Candidates
from wtmatch.budget import Budget
from wtmatch.solver.assign.model import build_assign_model
from wtmatch.solver.cpsat.options import CpOptions
from wtmatch.solver.cpsat.run import run


def minimal_pin_conflict(cands: Candidates, pins: dict[int, int], options: CpOptions,
                         budget: Budget) -> list[int]:
    """Pin rows forming a minimal infeasible subset (no proper subset is infeasible).

    CP-SAT returns a sufficient set of assumptions; each is then dropped in
    turn and kept out when the rest stay infeasible (deletion filter). Each
    check may take what is left of ``budget`` (at least half a second).
    """
    model = build_assign_model(cands, pins, symmetry=False, pin_literals=True)
    lit_of: dict[int, int] = model.stats["pin_literal_of"]
    row_of = {lit: row for row, lit in lit_of.items()}
    quick = options.replace(workers=1)

    def infeasible(rows: list[int]) -> tuple[bool, list[int]]:
        out = run(model.builder.model, quick, budget, assumptions=[lit_of[r] for r in rows])
        return out.status == "infeasible", [row_of[x] for x in out.core if x in row_of]

    is_inf, core = infeasible(sorted(lit_of))
    if not is_inf:
        return sorted(lit_of)
    core = sorted(set(core)) or sorted(lit_of)
    k = 0
    while k < len(core):
        trial = core[:k] + core[k + 1:]
        still, _ = infeasible(trial)
        if still:
            core = trial
        else:
            k += 1
    return core
