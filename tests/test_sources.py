"""Regression tests name the corpus line they quote (issue 11).

A test whose example text is a real line of a corpus document carries
`@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=442)` (or, for one case of a
parametrized test, `pytest.param(..., marks=pytest.mark.source(...))`). The name is a file
under corpus/*/; the line is 1-based as `grep -n` counts. This module reads the test files
(not the collected items, so a -k selection does not hide a marker) and checks that each
named file exists and that the test quotes its line: the test (or the case) holds a string
sharing at least 20 characters with the line — the whole line when it is shorter — compared
after NFC, case folding and collapsing whitespace, so a quote may be cut, re-wrapped or
re-cased, but not invented.
"""
from __future__ import annotations

import ast
import difflib
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import CORPUS

TESTS = Path(__file__).resolve().parent
MIN_SHARED = 20


def norm(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).casefold().split())


def is_source_mark(node: ast.AST) -> bool:
    """`pytest.mark.source(...)`."""
    f = node.func if isinstance(node, ast.Call) else None
    return (isinstance(f, ast.Attribute) and f.attr == "source" and isinstance(f.value, ast.Attribute)
            and f.value.attr == "mark" and isinstance(f.value.value, ast.Name) and f.value.value.id == "pytest")


def walk(node: ast.AST):
    """ast.walk, without the insides of source markers (their file names quote nothing)."""
    todo = [node]
    while todo:
        n = todo.pop()
        yield n
        if not is_source_mark(n):
            todo.extend(ast.iter_child_nodes(n))


def strings(node: ast.AST, module_consts: dict[str, list[str]]) -> list[str]:
    """The string literals in `node`, and those of the module-level constants it names."""
    out = [n.value for n in walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    for name in {n.id for n in walk(node) if isinstance(n, ast.Name)} & module_consts.keys():
        out += module_consts[name]
    return out


def source_marks():
    """(test id, corpus name, line, the strings the test or case quotes) for each source marker."""
    for path in sorted(TESTS.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        consts = {t.id: strings(n.value, {}) for n in tree.body if isinstance(n, ast.Assign)
                  for t in n.targets if isinstance(t, ast.Name)}
        for fn in tree.body:
            if not isinstance(fn, ast.FunctionDef):
                continue
            for deco in fn.decorator_list:
                if is_source_mark(deco):
                    yield f"{path.name}::{fn.name}", deco, strings(fn, consts)
            for call in ast.walk(fn):  # pytest.param(..., marks=pytest.mark.source(...)) in its parametrize
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "param"):
                    for kw in call.keywords:
                        if kw.arg == "marks":
                            for mark in ast.walk(kw.value):
                                if is_source_mark(mark):
                                    quoted = [s for a in call.args for s in strings(a, consts)]
                                    yield f"{path.name}::{fn.name}[{quoted[0][:30] if quoted else ''}]", mark, quoted


def marks():
    out = []
    for test_id, mark, quoted in source_marks():
        name = ast.literal_eval(mark.args[0])
        line = next((ast.literal_eval(k.value) for k in mark.keywords if k.arg == "line"), None)
        if len(mark.args) > 1:
            line = ast.literal_eval(mark.args[1])
        out.append(pytest.param(name, line, quoted, id=f"{test_id}->{name}:{line}"))
    return out


@lru_cache(maxsize=None)
def corpus_lines(name: str) -> list[str] | None:
    found = sorted(CORPUS.glob(f"*/{name}"))
    return found[0].read_text(encoding="utf-8").split("\n") if len(found) == 1 else None


MARKS = marks()


def test_tests_name_their_sources():
    assert len(MARKS) >= 50  # the markers are found (a change of their spelling would hide them all)


@pytest.mark.parametrize("name,line,quoted", MARKS)
def test_source_marker_points_at_the_quoted_line(name, line, quoted):
    lines = corpus_lines(name)
    assert lines is not None, f"no single corpus/*/{name}"
    if line is None:
        return
    assert 1 <= line <= len(lines), f"{name} has {len(lines)} lines"
    target = norm(lines[line - 1])
    need = min(MIN_SHARED, len(target))
    assert need >= 8, f"{name}:{line} is too short to quote: {lines[line - 1]!r}"
    pieces = [norm(p) for s in quoted for p in s.split("\n")]

    def shared(piece: str) -> int:
        return difflib.SequenceMatcher(None, piece, target, autojunk=False).find_longest_match().size

    best = max(pieces, key=shared, default="")
    assert best and shared(best) >= need, f"the test quotes nothing of {name}:{line}: {lines[line - 1].strip()!r}"
