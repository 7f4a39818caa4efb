"""Cached catalogue answers never show what the database no longer says: a write bumps the
version after its commit, the date is in every key, stock is always read fresh."""

from datetime import timedelta

import pytest
import redis

from shop import create_app
from shop.catalogue import cache
from shop.catalogue.models import Product
from shop.extensions import db
from shop.producers.models import ApprovalStatus
from tests.catalogue.test_catalogue_search import lapse, names_on
from tests.conftest import NOON


def version(app) -> int:
    return app.extensions["catalogue_cache"].get_version()


def test_a_listing_change_shows_on_the_next_request(client, make_product):
    kept = make_product(name="Chè lam")
    make_product(name="Cốm làng Vòng")
    assert names_on(client.get("/?q=lam")) == ["Chè lam"]

    kept.status = ApprovalStatus.REJECTED  # unlisted by staff
    db.session.commit()

    assert names_on(client.get("/?q=lam")) == []
    assert "0 products" in client.get("/?q=lam").get_data(as_text=True)


def test_stock_is_read_fresh_and_an_order_does_not_empty_the_cache(app, client, make_product):
    product = make_product(name="Nem chua", stock=5)
    client.get("/")
    before = version(app)

    product.stock = 0
    db.session.commit()

    assert version(app) == before
    assert "Out of stock" in client.get("/").get_data(as_text=True)


def test_a_rolled_back_change_bumps_nothing(app, make_product):
    product = make_product(name="Mật ong")
    before = version(app)
    product.name = "Mật ong rừng"
    db.session.flush()
    db.session.rollback()
    assert version(app) == before


def test_a_certificate_lapsing_overnight_shows_on_the_next_day(client, make_product, clock):
    product = make_product(name="Gạo nếp cái hoa vàng", stars=4)
    expiry = product.certificates[0].expires_on
    last_day = NOON.replace(year=expiry.year, month=expiry.month, day=expiry.day)
    clock.move_to(last_day - timedelta(days=1), tick=False)
    assert names_on(client.get("/?stars=4")) == ["Gạo nếp cái hoa vàng"]

    clock.move_to(last_day, tick=False)

    assert names_on(client.get("/?stars=4")) == []
    assert names_on(client.get("/?sort=stars")) == ["Gạo nếp cái hoa vàng"]


def test_the_local_store_forgets_entries_after_a_while_and_when_full(app, monkeypatch):
    store = cache.LocalStore()
    store.set("a", "1")
    assert store.get("a") == "1"
    monkeypatch.setattr(cache, "LOCAL_ENTRIES", 2)
    store.set("b", "2")
    store.set("c", "3")  # full: starts over
    assert (store.get("a"), store.get("c")) == (None, "3")
    monkeypatch.setattr(cache.time, "monotonic", lambda: 10**9)
    assert store.get("c") is None


class TestRedis:
    @pytest.fixture
    def app_overrides(self, redis_url):
        return {"REDIS_URL": redis_url}

    def test_a_write_in_one_worker_is_seen_by_another(self, app, client, make_product):
        product = make_product(name="Bánh gai")
        assert names_on(client.get("/?q=gai")) == ["Bánh gai"]

        other = create_app(
            {**app.config, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
        )
        with other.app_context():
            found = db.session.get(Product, product.id)
            found.name = "Bánh đa"
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        db.session.close()  # each request starts with an empty session, as in production

        assert names_on(client.get("/?q=gai")) == []
        assert names_on(client.get("/?q=banh da")) == ["Bánh đa"]

    def test_entries_are_kept_in_redis(self, app, client, make_product, count_queries):
        make_product(name="Chè lam")
        client.get("/")
        db.session.close()
        with count_queries() as queries:
            assert names_on(client.get("/")) == ["Chè lam"]
        assert len(queries) == 3  # the products, photos, certificates: the rest from Redis

    def test_shops_on_one_redis_never_read_each_other(self, redis_url):
        one = cache.RedisStore(redis_url, "postgresql://shop/one")
        other = cache.RedisStore(redis_url, "postgresql://shop/two")
        one.set("places", "[1]")
        assert other.get("places") is None
        assert one.get("places") == "[1]"


class TestRedisDown:
    @pytest.fixture
    def app_overrides(self):
        return {"REDIS_URL": "redis://127.0.0.1:1/0"}  # nothing listens there

    def test_pages_are_computed_when_redis_does_not_answer(self, app, client, make_product):
        product = make_product(name="Rượu làng Quỳ")
        lapse(product)
        assert names_on(client.get("/")) == ["Rượu làng Quỳ"]
        product.name = "Rượu Quỳ"
        db.session.commit()  # the bump fails quietly
        assert names_on(client.get("/")) == ["Rượu Quỳ"]


def test_outside_a_request_the_cache_still_answers(app):
    calls = []

    def compute():
        calls.append(1)
        return [1, 2]

    assert cache.remember("x", ("a",), compute) == [1, 2]
    assert cache.remember("x", ("a",), compute) == [1, 2]
    assert len(calls) == 1
    cache.bump()
    assert cache.remember("x", ("a",), compute) == [1, 2]
    assert len(calls) == 2


def test_an_entry_that_cannot_be_kept_is_still_answered(app, client, make_product, monkeypatch):
    make_product(name="Cốm")

    def broken(key, value):
        raise redis.ConnectionError("gone")

    monkeypatch.setattr(app.extensions["catalogue_cache"], "set", broken)
    assert names_on(client.get("/")) == ["Cốm"]
