"""GS1's EPCIS 2.0 JSON Schema (kept in the project, never fetched) and its validator."""

import functools
import importlib
import json
from pathlib import Path

SCHEMA_FILE = Path(__file__).resolve().parent / "EPCIS-JSON-Schema.json"
MAX_ERRORS = 20


@functools.cache
def validator():
    """The validator of the draft the schema declares, checking formats (uri, date-time).

    jsonschema is loaded here, on the first capture, not when the app starts: its format
    checkers build their grammars on import (seconds of CPU), which every gunicorn worker
    would otherwise pay at boot for an endpoint most of them never serve."""
    validators = importlib.import_module("jsonschema.validators")
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    cls = validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_errors(document) -> list[dict]:
    """The schema's complaints, as {"pointer", "message"} (a JSON Pointer into the document)."""
    errors = sorted(validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    return [
        {
            "pointer": "".join(f"/{part}" for part in error.absolute_path),
            "message": error.message[:300],
        }
        for error in errors[:MAX_ERRORS]
    ]
