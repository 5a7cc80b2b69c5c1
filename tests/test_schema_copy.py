"""The project carries its contract: the schema copy records are validated against, and the
contract's text in docs/. Each agrees with ../shared's when ../shared is beside the checkout."""
from __future__ import annotations

import json

import jsonschema
import pytest

from pipeline.build import build_record
from pipeline.normalize.schema import SCHEMA_PATH, schema_errors

from conftest import PLANS, ROOT, SHARED

CONTRACT_TEXTS = ["PLAN_SCHEMA.md", "GOLD.md"]  # docs/NAME, verbatim copies of ../shared/contract/NAME


def test_bundled_schema_equals_the_contract():
    shared = SHARED / "contract" / "plan.schema.json"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert json.loads(SCHEMA_PATH.read_text()) == json.loads(shared.read_text())


@pytest.mark.parametrize("name", CONTRACT_TEXTS)
def test_contract_text_equals_shareds(name):
    copy, shared = ROOT / "docs" / name, SHARED / "contract" / name
    assert copy.exists(), f"docs/{name} is missing"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert copy.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8"), \
        f"docs/{name} differs from {shared}: copy it again"


def test_bundled_schema_is_a_valid_schema():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_a_record_breaking_the_contract_is_caught():
    rec = build_record(PLANS / "laichau_ocop_2020_qd.txt")
    assert schema_errors(rec) == []
    rec["metadata"]["doc_type"] = "plan"
    del rec["id"]
    errors = schema_errors(rec)
    assert any("doc_type" in e for e in errors) and any("'id' is a required property" in e for e in errors)
