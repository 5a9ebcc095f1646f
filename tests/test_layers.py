"""The package's layout holds: one direction of imports, ortools in the solver only, no GAP research.

The import graph is read from the source (every ``import`` statement, lazy ones
inside functions too) and held as a networkx graph of modules.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "wtmatch"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # imports for type checkers only never run
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            node.body = []
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _graph() -> nx.DiGraph:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for target in _imports(path):
            # "from wtmatch.x import y" names a module y or a member of x
            while target and target not in modules and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


GRAPH = _graph()
FILES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def test_the_package_has_no_import_cycle():
    # A package's __init__ re-exports its members: edges into it from its own
    # members are re-exports, not dependencies.
    graph = GRAPH.copy()
    graph.remove_edges_from([(a, b) for a, b in GRAPH.edges if a.startswith(b + ".")])
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], cycles[:3]


def test_ortools_is_imported_only_under_the_solver():
    outside = sorted(name for name, path in FILES.items()
                     if not name.startswith("wtmatch.solver")
                     and any(i == "ortools" or i.startswith("ortools.") for i in _imports(path)))
    assert outside == []


@pytest.mark.parametrize("module", ["wtmatch.settings", "wtmatch.verify", "wtmatch.scenario",
                                    "wtmatch.plan", "wtmatch.result", "wtmatch.budget"])
def test_lower_layers_reach_nothing_of_the_solver(module):
    reached = nx.descendants(GRAPH, module)
    assert not [m for m in reached if m.startswith("wtmatch.solver")]


def test_nothing_of_the_package_reaches_the_gap_research():
    for name, path in FILES.items():
        assert not [i for i in _imports(path) if i.split(".")[0] in ("gapcore", "numba")], name


def test_importing_wtmatch_and_its_cli_loads_no_gap_research():
    code = ("import sys, wtmatch, wtmatch.cli, wtmatch.analysis, wtmatch.report, wtmatch.sheets\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('gapcore', 'numba')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_modules_stay_short_and_solve_stays_thin():
    long = {name: n for name, path in FILES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
    assert len((PACKAGE / "solve.py").read_text(encoding="utf-8").splitlines()) < 250


def test_the_public_api_is_exported():
    import wtmatch

    for name in ("load", "solve", "verify", "Scenario", "Plan", "Settings", "Result", "Status",
                 "Progress", "AssignTuning", "SessionsTuning", "ScenarioError"):
        assert name in wtmatch.__all__ and hasattr(wtmatch, name), name
    assert (PACKAGE / "py.typed").exists()
