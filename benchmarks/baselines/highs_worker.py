"""Child process that solves an exported model with HiGHS (run as a script file).

It must not import OR-Tools, nor the wtmatch package (which does): the two
libraries clash in one process.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np


def main(path: str) -> None:
    import highspy

    m = np.load(path)
    time_limit, relax, threads = m["opts"].tolist()
    inf = highspy.kHighsInf
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", int(threads))
    lp = highspy.HighsLp()
    lp.num_col_ = len(m["lo"])
    lp.num_row_ = len(m["rlo"])
    lp.col_cost_ = m["obj"]
    lp.col_lower_ = m["lo"]
    lp.col_upper_ = m["hi"]
    lp.row_lower_ = np.where(m["rlo"] <= -1e9, -inf, m["rlo"])
    lp.row_upper_ = np.where(m["rhi"] >= 1e9, inf, m["rhi"])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = m["indptr"]
    lp.a_matrix_.index_ = m["indices"]
    lp.a_matrix_.value_ = m["data"]
    if not relax:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(m["lo"])
    h.passModel(lp)
    t = time.perf_counter()
    h.run()
    wall = time.perf_counter() - t
    info = h.getInfo()
    offset, scale = float(m["offset"]), float(m["scale"])
    status = h.modelStatusToString(h.getModelStatus())
    # An empty model (no candidate at all) is solved by its constant alone.
    has = info.primal_solution_status == 2 or len(m["lo"]) == 0
    raw = info.objective_function_value if len(m["lo"]) else 0.0
    objective = (raw + offset) * scale if has else np.nan
    bound = objective if relax or not len(m["lo"]) else (info.mip_dual_bound + offset) * scale
    values = np.asarray(h.getSolution().col_value) if has else np.zeros(0)
    if not len(m["lo"]):
        status = "Optimal"
    np.savez(Path(path).with_suffix(".out.npz"), status=status,
             has=has, objective=objective, bound=bound, values=values, wall=wall)


if __name__ == "__main__":
    main(sys.argv[1])
