"""Static files under fingerprinted names, cached for a year: a changed file gets a new name.

`url_for('static', filename='css/shop.css')` gives `/static/css/shop.<10 hex>.css`, the start of
the file's SHA-256. The static route answers that name with `Cache-Control: public,
max-age=31536000, immutable`; the plain name (an old page, a bookmark) still works, with
Flask's short default cache.
"""

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, send_from_directory

YEAR = 31_536_000
FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.[A-Za-z0-9]+)$")


@lru_cache(maxsize=512)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    """The file's fingerprint; recomputed only when the file changes (a new mtime or size)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def fingerprinted(filename: str) -> str:
    """`css/shop.css` → `css/shop.<digest>.css`; a name that is not a file stays as it is."""
    stem, dot, suffix = filename.rpartition(".")
    path = Path(current_app.static_folder) / filename
    if not dot or "/" in suffix or not path.is_file():
        return filename
    stat = path.stat()
    return f"{stem}.{_digest(str(path), stat.st_mtime_ns, stat.st_size)}.{suffix}"


def _fingerprint_static_urls(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = fingerprinted(values["filename"])


def serve_static(filename: str):
    """The static file behind a fingerprinted name, for good; other names as Flask would."""
    folder = current_app.static_folder
    if match := FINGERPRINTED.match(filename):
        plain = match["stem"] + match["suffix"]
        if fingerprinted(plain) == filename:
            response = send_from_directory(folder, plain, max_age=YEAR)
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
            return in_memory(response)
        if (Path(folder) / plain).is_file():  # a page from before a deploy: today's file
            filename = plain
    max_age = current_app.get_send_file_max_age(filename)
    return in_memory(send_from_directory(folder, filename, max_age=max_age))


def in_memory(response):
    """Read the (small) file into the response, so Flask-Compress compresses it whole; it
    leaves streamed answers alone (COMPRESS_STREAMS is off: streaming loses the file's close)."""
    response.direct_passthrough = False
    response.make_sequence()
    return response


def init_app(app: Flask) -> None:
    app.url_defaults(_fingerprint_static_urls)
    app.view_functions["static"] = serve_static
