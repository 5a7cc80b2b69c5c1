"""The project's schema copy agrees with the shared contract, and records validate."""
from __future__ import annotations

import json

import pytest

from pipeline.build import build_record
from pipeline.normalize.schema import SCHEMA_PATH, schema_errors

from conftest import PLANS, SHARED


def test_bundled_schema_equals_the_contract():
    shared = SHARED / "contract" / "plan.schema.json"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert json.loads(SCHEMA_PATH.read_text()) == json.loads(shared.read_text())


def test_a_record_breaking_the_contract_is_caught():
    rec = build_record(PLANS / "laichau_ocop_2020_qd.txt")
    assert schema_errors(rec) == []
    rec["metadata"]["doc_type"] = "plan"
    del rec["id"]
    errors = schema_errors(rec)
    assert any("doc_type" in e for e in errors) and any("'id' is a required property" in e for e in errors)
