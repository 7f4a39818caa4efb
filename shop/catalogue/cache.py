"""Catalogue answers kept between requests: the place list and the totals of listings.

Every entry's key holds the catalogue's version and today's date. A commit that changed a
product, producer, certificate or photo bumps the version (shop.catalogue.upkeep), so no
entry outlives what it was computed from, and the date rolls every entry over at midnight,
when a certificate may lapse. Stock is never cached here: pages read it from the database.
With REDIS_URL the version and entries live in Redis, shared by every worker; without it in
this process (`make run` serves from one process), where entries also expire after
LOCAL_TTL seconds in case another process wrote.
"""

import hashlib
import json
import threading
import time
from collections.abc import Callable

import redis
from flask import current_app, has_app_context, has_request_context, request

from shop.clock import local_today

PREFIX = "ocop:catalogue:"
TTL = 300  # seconds an entry is kept in Redis
LOCAL_TTL = 10  # seconds an in-process entry is trusted when other processes may write
LOCAL_ENTRIES = 2000  # more distinct listings than this, and the local store starts over


class LocalStore:
    """The in-process fallback: a version counter and a small dict with expiry."""

    def __init__(self) -> None:
        self.version = 0
        self.entries: dict[str, tuple[float, str]] = {}
        self.lock = threading.Lock()

    def get_version(self) -> int:
        return self.version

    def bump(self) -> None:
        with self.lock:
            self.version += 1
            self.entries.clear()

    def get(self, key: str) -> str | None:
        found = self.entries.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def set(self, key: str, value: str) -> None:
        with self.lock:
            if len(self.entries) >= LOCAL_ENTRIES:
                self.entries.clear()
            self.entries[key] = (time.monotonic() + LOCAL_TTL, value)


class RedisStore:
    """The shared store: the version is one Redis counter, entries expire after TTL.

    Keys are namespaced by the database, so shops (or test runs) sharing a Redis never read
    each other's answers.
    """

    def __init__(self, url: str, database: str) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=0.5)
        digest = hashlib.sha1(database.encode(), usedforsecurity=False).hexdigest()[:16]
        self.namespace = f"{PREFIX}{digest}:"

    def get_version(self) -> int:
        return int(self.client.get(self.namespace + "version") or 0)

    def bump(self) -> None:
        self.client.incr(self.namespace + "version")

    def get(self, key: str) -> str | None:
        found = self.client.get(self.namespace + key)
        return found.decode() if found is not None else None

    def set(self, key: str, value: str) -> None:
        self.client.set(self.namespace + key, value, ex=TTL)


def init_app(app) -> None:
    """Choose the store; a new process bumps the version, so nothing cached before it is used
    (a restored database behind a long-lived Redis cannot show what it no longer holds)."""
    url = app.config.get("REDIS_URL")
    database = str(app.config.get("SQLALCHEMY_DATABASE_URI"))
    store = RedisStore(url, database) if url else LocalStore()
    app.extensions["catalogue_cache"] = store
    try:
        store.bump()
    except redis.RedisError:
        app.logger.warning("catalogue cache: Redis does not answer", exc_info=True)


def _store() -> LocalStore | RedisStore:
    return current_app.extensions["catalogue_cache"]


def bump() -> None:
    """Forget every entry: called after a commit that changed the catalogue."""
    if not has_app_context() or "catalogue_cache" not in current_app.extensions:
        return
    try:
        _store().bump()
    except redis.RedisError:
        current_app.logger.warning("catalogue cache: version not bumped", exc_info=True)


def _version() -> int:
    """The version, read once per request (a request sees one state of the catalogue)."""
    if not has_request_context():
        return _store().get_version()
    if "ocop.catalogue_version" not in request.environ:
        request.environ["ocop.catalogue_version"] = _store().get_version()
    return request.environ["ocop.catalogue_version"]


def remember(name: str, parts: object, compute: Callable[[], object]) -> object:
    """compute(), or what it gave for the same name and parts at this version, today.

    Values go through JSON. If the store fails, the answer is computed, never stale.
    """
    try:
        digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
        key = f"{_version()}:{local_today().isoformat()}:{name}:{digest}"
        found = _store().get(key)
    except redis.RedisError:
        current_app.logger.warning("catalogue cache: Redis does not answer", exc_info=True)
        return compute()
    if found is not None:
        return json.loads(found)
    value = compute()
    try:
        _store().set(key, json.dumps(value))
    except redis.RedisError:
        current_app.logger.warning("catalogue cache: entry not kept", exc_info=True)
    return value
