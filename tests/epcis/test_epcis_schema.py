"""The EPCIS schema is the project's own copy of GS1's, loaded on the first capture only."""

import subprocess
import sys
from pathlib import Path

from shop.epcis.schema import SCHEMA_FILE, schema_errors

SHARED = Path(__file__).resolve().parents[1] / "data" / "epcis" / "EPCIS-JSON-Schema.json"


def test_the_schema_is_gs1s_file_unchanged():
    assert SCHEMA_FILE.read_bytes() == SHARED.read_bytes()
    assert schema_errors({"type": "EPCISDocument"})  # not vacuous: a bare document fails


def test_starting_the_app_does_not_load_the_validator(tmp_path):
    """A gunicorn worker boots without paying for jsonschema's format grammars."""
    code = (
        "import sys; from shop import create_app; create_app(); "
        "sys.exit(1 if 'jsonschema' in sys.modules else 0)"
    )
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "x", "PATH": ""}
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, env=env).returncode == 0
