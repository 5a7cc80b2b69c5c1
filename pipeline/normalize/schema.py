"""The plan record's JSON Schema (a copy of the shared contract, kept in sync by a test)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema

SCHEMA_PATH = Path(__file__).parent / "data" / "plan.schema.json"


@lru_cache(maxsize=1)
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def schema_errors(record: dict) -> list[str]:
    """Every way the record breaks the contract, as 'path: message' strings."""
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in validator().iter_errors(record)]


def validate_record(record: dict) -> None:
    errors = schema_errors(record)
    if errors:
        raise ValueError("record breaks plan.schema.json: " + "; ".join(errors[:5]))
