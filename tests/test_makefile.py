"""`make run PORT=5055` serves on that port, and the labels then carry that origin."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from shop import create_app
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def serve_line(*args: str, **env: str) -> str:
    """The command `make run` would serve with (make -n prints it without running anything)."""
    if shutil.which("make") is None:
        skip_or_fail("make is not installed")
    environment = {k: v for k, v in os.environ.items() if k not in ("SHOP_BASE_URL", "PORT")}
    result = subprocess.run(
        ["make", "-n", "run", *args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    (line,) = [line for line in result.stdout.splitlines() if "flask run" in line]
    return line


@pytest.mark.parametrize(
    ("args", "env", "origin", "port"),
    [
        ((), {}, "http://127.0.0.1:5000", "5000"),
        (("PORT=5055",), {}, "http://127.0.0.1:5055", "5055"),
        (("PORT=5055",), {"SHOP_BASE_URL": "https://shop.htx.vn"}, "https://shop.htx.vn", "5055"),
        (("PORT=5055", "SHOP_BASE_URL=https://a.vn"), {}, "https://a.vn", "5055"),
    ],
)
def test_make_run_serves_on_the_port_asked_and_labels_carry_its_origin(args, env, origin, port):
    line = serve_line(*args, **env)
    assert f'SHOP_BASE_URL="{origin}"' in line
    assert line.endswith(f"--host 127.0.0.1 --port {port}")


def test_the_shop_takes_its_origin_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SHOP_BASE_URL", "http://127.0.0.1:5055")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert app.config["SHOP_BASE_URL"] == "http://127.0.0.1:5055"
