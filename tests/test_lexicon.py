"""The lexicon: every word list loads and matches its schema; a malformed file names itself."""
from __future__ import annotations

import pytest
import yaml

from pipeline import lexicon


@pytest.mark.parametrize("name", lexicon.names())
def test_every_lexicon_file_loads_against_its_schema(name):
    assert lexicon.load(name)


def test_every_lexicon_file_has_a_schema():
    assert set(lexicon.names()) <= set(lexicon._schemas())


def test_a_malformed_file_is_named_with_the_key(tmp_path, monkeypatch):
    broken = lexicon.load("roles")
    broken["roles"] = ["chủ trì"]  # a list where the schema wants role -> phrases
    (tmp_path / "roles.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(lexicon, "DATA", tmp_path)
    lexicon._checked.cache_clear()
    try:
        with pytest.raises(lexicon.LexiconError, match=r"roles\.yaml: roles"):
            lexicon.load("roles")
    finally:
        lexicon._checked.cache_clear()


def test_load_returns_a_copy_a_parser_may_reshape():
    first = lexicon.load("units")
    first["qualifiers"].clear()
    assert lexicon.load("units")["qualifiers"]
