"""Several gunicorn workers share one login limit when REDIS_URL is set."""

import random
import uuid

import pytest
import redis

from shop import create_app
from shop.extensions import db


@pytest.fixture
def key_prefix(redis_url):
    """Counters of this test alone, whoever else uses the Redis database; removed afterwards."""
    prefix = f"test-{uuid.uuid4().hex}"
    yield prefix
    server = redis.Redis.from_url(redis_url)
    for key in server.scan_iter(match=f"*{prefix}*"):
        server.delete(key)
    server.close()


@pytest.fixture
def app_overrides(redis_url, key_prefix):
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": redis_url,
        "RATELIMIT_KEY_PREFIX": key_prefix,
        "LOGIN_RATE_LIMIT": "3 per minute",
    }


def test_login_attempts_are_counted_across_workers(app, app_overrides):
    other_worker = create_app(dict(app.config) | app_overrides)
    first, second = app.test_client(), other_worker.test_client()
    # One visitor, at an address no other test uses (limits are counted per address).
    address = f"127.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    for client in (first, second):
        client.environ_base["REMOTE_ADDR"] = address
    attempt = {"email": "someone@example.vn", "password": "wrong password"}

    assert first.post("/auth/login", data=attempt).status_code == 400
    assert second.post("/auth/login", data=attempt).status_code == 400
    assert first.post("/auth/login", data=attempt).status_code == 400
    assert second.post("/auth/login", data=attempt).status_code == 429

    with other_worker.app_context():
        db.engine.dispose()
