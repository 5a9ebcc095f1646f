"""Every example notebook runs end to end (small sizes, fixed seeds) and is stored without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))


def test_there_are_notebooks():
    assert [p.stem for p in NOTEBOOKS] == ["01-quickstart", "02-replanning", "03-training-year",
                                          "04-tuning", "05-decisions", "06-school-year",
                                          "07-choosing-a-policy"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        f"{path.name} is stored with outputs; strip them"
    NotebookClient(nb, timeout=180, kernel_name="python3",
                   resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    # every cell that draws shows a picture, not "<Figure size 800x1000 with 1 Axes>"
    drawing = [c for c in nb.cells if c.cell_type == "code" and _draws(c.source)]
    blind = [c.source.splitlines()[0] for c in drawing
             if not any("image/png" in o.get("data", {}) for o in c.outputs)]
    assert not blind, f"{path.name}: no picture from {blind}"


def _draws(source: str) -> bool:
    last = source.strip().splitlines()[-1]
    return "plots." in last or "recruitment_curve" in last or "plt.subplots" in source
