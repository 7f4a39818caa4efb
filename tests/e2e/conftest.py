"""A live demo shop on a real port, and Debian's Chromium driven by Playwright."""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from shop import create_app
from shop.extensions import db
from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def start_demo_server(folder: Path):
    """Serve a freshly seeded SQLite demo shop on 127.0.0.1:<free port> in a thread."""
    from seeds import load_demo

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite3'}",
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "SECRET_KEY": "e2e",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return app, server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="session")
def demo_shop(tmp_path_factory):
    """The demo app and its base URL; the app gives tests the demo's objects."""
    app, server, url = start_demo_server(tmp_path_factory.mktemp("live"))
    yield app, url
    server.shutdown()


@pytest.fixture(scope="session")
def live_server(demo_shop):
    return demo_shop[1]


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"no Chromium at {CHROMIUM}: install Debian's chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A 360 px wide phone, Vietnamese by default as every visitor is."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()
