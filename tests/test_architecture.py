"""The import structure: the layers contract (pyproject's [tool.importlinter]) and no cycles.

Imports inside functions count too (grimp reads every import of a module), so a cycle
cannot be held open by deferring one side of it.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "flows", "vnplan")


def test_the_layers_contract_holds():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def import_cycles(graph) -> list[list[str]]:
    """One chain per module import that closes a cycle: importer -> imported -> ... -> importer."""
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                cycles.append([importer, *back])
    return cycles


def test_no_module_import_cycle():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    # a package's __init__ importing its own modules is how Python packages work, not a cycle
    for package in [m for m in graph.modules if graph.find_children(m)]:
        for child in graph.find_modules_directly_imported_by(package):
            if child.startswith(package + "."):
                graph.remove_import(importer=package, imported=child)
    assert import_cycles(graph) == []
