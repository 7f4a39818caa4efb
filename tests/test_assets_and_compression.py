"""Static files under fingerprinted names cached for a year, and text answers compressed."""

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest
from flask import url_for

STATIC = Path(__file__).resolve().parent.parent / "static"
YEAR = "public, max-age=31536000, immutable"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:10]


def test_pages_link_static_files_by_their_fingerprint(client):
    page = client.get("/").get_data(as_text=True)

    assert f'href="/static/css/shop.{digest(STATIC / "css/shop.css")}.css"' in page
    assert f"/static/img/logo.{digest(STATIC / 'img/logo.svg')}.svg" in page
    assert "/static/css/shop.css" not in page


def test_a_fingerprinted_file_is_cached_for_a_year(client):
    with client.get(f"/static/css/shop.{digest(STATIC / 'css/shop.css')}.css") as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == YEAR
        assert response.get_data() == (STATIC / "css/shop.css").read_bytes()


@pytest.mark.parametrize("name", ["css/shop.css", "css/shop.0123456789.css"])
def test_a_plain_or_outdated_name_gets_todays_file_without_the_long_cache(client, name):
    """An outdated fingerprint: a page cached from before a deploy still gets its styles."""
    with client.get(f"/static/{name}") as response:
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")


def test_a_missing_file_is_404_fingerprinted_or_not(client):
    assert client.get("/static/css/nothing.css").status_code == 404
    assert client.get("/static/css/nothing.0123456789.css").status_code == 404


def test_a_changed_file_gets_a_new_name(app, tmp_path):
    app.static_folder = str(tmp_path)
    (tmp_path / "site.css").write_text("body { color: black; }")
    with app.test_request_context():
        before = url_for("static", filename="site.css")
        (tmp_path / "site.css").write_text("body { color: #1e2420; }")
        after = url_for("static", filename="site.css")

    assert re.fullmatch(r"/static/site\.[0-9a-f]{10}\.css", before)
    assert before != after


@pytest.mark.parametrize(
    ("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_html_and_css_are_compressed_for_browsers_that_ask(client, encoding, decode):
    plain = client.get("/").get_data()
    css_url = f"/static/css/shop.{digest(STATIC / 'css/shop.css')}.css"

    page = client.get("/", headers={"Accept-Encoding": f"{encoding}"})
    with client.get(css_url, headers={"Accept-Encoding": f"{encoding}"}) as css:
        assert css.headers["Content-Encoding"] == encoding
        assert decode(css.get_data()) == (STATIC / "css/shop.css").read_bytes()

    assert page.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in page.headers["Vary"]
    assert len(page.get_data()) < len(plain) / 2
    # The CSRF token differs per session; the rest of the page is the same.
    assert len(decode(page.get_data())) == len(plain)


def test_brotli_is_preferred_and_nothing_is_compressed_unasked(client):
    assert (
        client.get("/", headers={"Accept-Encoding": "gzip, br"}).headers["Content-Encoding"] == "br"
    )
    assert "Content-Encoding" not in client.get("/").headers


def test_tiny_answers_are_left_alone(client):
    assert (
        "Content-Encoding" not in client.get("/healthz", headers={"Accept-Encoding": "br"}).headers
    )
