"""The Vietnamese lexicon: every word list the readers and parsers use, as YAML data.

One file per subject in `data/` (agencies, roles, headings, time words, units, ...), each
checked against its JSON Schema in `schema.yaml` when first loaded, so that a new
province's wording is a data change and a malformed file fails loudly, naming itself.
"""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

DATA = Path(__file__).parent / "data"
SCHEMA = Path(__file__).parent / "schema.yaml"

__all__ = ["LexiconError", "compounds", "load", "names"]


class LexiconError(ValueError):
    """A lexicon file that is missing, not YAML, or not of its schema."""


@lru_cache(maxsize=1)
def _schemas() -> dict:
    return yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))


def names() -> list[str]:
    """Every lexicon file's name (without .yaml)."""
    return sorted(p.stem for p in DATA.glob("*.yaml"))


def load(name: str) -> dict:
    """The parsed, schema-checked content of data/<name>.yaml: a fresh copy, so a parser
    that reshapes it while compiling its patterns cannot change what another one reads."""
    return copy.deepcopy(_checked(name))


@lru_cache(maxsize=None)
def _checked(name: str) -> dict:
    path = DATA / f"{name}.yaml"
    if not path.is_file():
        raise LexiconError(f"{path}: no such lexicon file")
    schema = _schemas().get(name)
    if schema is None:
        raise LexiconError(f"{path}: no schema for it in {SCHEMA.name}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from exc
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise LexiconError(f"{path}: {where}: {error.message}")
    return data


@lru_cache(maxsize=1)
def compounds() -> frozenset[tuple[str, str]]:
    """The two-syllable words of Vietnamese, lower case (("chương", "trình"), ("việc", "làm")),
    from the Viet74K dictionary that ships with underthesea (a public word list, pinned with
    it). A name walk asks it whether a syllable that is also a verb ("trình", "làm") or a
    head ("bộ") ends the word before it instead of starting a new one."""
    from importlib.util import find_spec

    # the package's folder without importing it (its __init__ loads models: about 0.8 s)
    spec = find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise LexiconError("underthesea is not installed: its Viet74K word list is needed")
    path = Path(list(spec.submodule_search_locations)[0]) / "corpus" / "data" / "Viet74K.txt"
    text = path.read_text(encoding="utf-8")
    out = set()
    for line in text.splitlines():
        words = line.lower().split()
        if len(words) == 2:
            out.add((words[0], words[1]))
    return frozenset(out)
