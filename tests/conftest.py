"""Fixtures: an app per test on SQLite and on PostgreSQL, a client, factories, a query counter,
and a stopped clock (time is an input of the tests, never the hour the suite happens to run).
"""

import itertools
import os
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import g
from sqlalchemy import create_engine, event, text

from shop import create_app
from shop.auth.models import Role, User
from shop.catalogue import gtin as gtin_rules
from shop.catalogue.models import (
    CertificateStatus,
    OcopCertificate,
    OcopGroup,
    Product,
)
from shop.clock import local_today
from shop.extensions import db
from shop.producers.models import ApprovalStatus, Producer
from shop.trace.events import record_event
from shop.trace.models import Batch, CodeStatus, EventType, GrowingArea, PackingHouse

IN_CI = os.environ.get("CI", "").lower() == "true"

# The tests' day: 15 October 2026 in Vietnam (UTC+7 all year), after every fixed date the
# factories use. NOON is the instant a test sees unless it asks for another.
NOON = datetime(2026, 10, 15, 5, 0, tzinfo=UTC)  # 12:00 in Vietnam
# Instants on both sides of Vietnam's midnight and of 07:30 there (when farmers record the
# morning's work), and midday: a date-sensitive test runs at each and must answer the same.
EDGES_OF_THE_DAY = {
    "local-23h59": datetime(2026, 10, 14, 16, 59, tzinfo=UTC),
    "local-00h01": datetime(2026, 10, 14, 17, 1, tzinfo=UTC),
    "local-06h59": datetime(2026, 10, 14, 23, 59, tzinfo=UTC),
    "local-07h31": datetime(2026, 10, 15, 0, 31, tzinfo=UTC),
    "local-12h00": NOON,
}
PASSWORD = "correct horse 42"


def skip_or_fail(reason: str) -> None:
    """Skip when a service is missing on a laptop; on CI a missing service is a failure."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        skip_or_fail(
            "TEST_DATABASE_URL is not set: the PostgreSQL half of the suite needs a server "
            "(make test points it at postgresql://postgres@127.0.0.1:5432/test)"
        )
    from shop.config import database_url

    url = database_url(url, "")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        skip_or_fail(f"PostgreSQL at TEST_DATABASE_URL does not answer: {exc}")
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        skip_or_fail(
            "TEST_REDIS_URL is not set: shared rate limits need a Redis server "
            "(make test points it at redis://127.0.0.1:6379/15)"
        )
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis at TEST_REDIS_URL does not answer: {exc}")
    return url


@pytest.fixture(params=list(EDGES_OF_THE_DAY.values()), ids=list(EDGES_OF_THE_DAY))
def any_hour(request, time_machine) -> datetime:
    """Runs a test at each of EDGES_OF_THE_DAY, the clock stopped there; the instant, in UTC."""
    time_machine.move_to(request.param, tick=False)
    return request.param


@pytest.fixture
def clock(request, time_machine):
    """Stops the clock (time-machine: datetime, date.today and time.time all see it) at NOON,
    or at the test's `any_hour` when it asks for one, whichever fixture is set up first.

    `clock.move_to(instant, tick=False)` moves it; the stopped clock never advances by itself.
    """
    if "any_hour" in request.fixturenames:
        request.getfixturevalue("any_hour")
    else:
        time_machine.move_to(NOON, tick=False)
    return time_machine


@pytest.fixture
def today(clock):
    """The shop's date (Vietnam's) at the stopped clock."""
    return local_today()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return request.getfixturevalue("postgres_url")


_postgres_schema_ready = False


def _prepare_schema(url: str) -> None:
    """SQLite: a new file each test. PostgreSQL: create once per run, then empty the tables."""
    global _postgres_schema_ready
    if url.startswith("sqlite"):
        db.create_all()
        return
    if not _postgres_schema_ready:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        _postgres_schema_ready = True
    tables = ", ".join(t.name for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app_overrides() -> dict:
    """Override in a test module to change the configuration of `app`."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_overrides):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": None,
            **app_overrides,
        }
    )
    with app.app_context():
        _prepare_schema(database_url)
        yield app
        db.session.remove()
        db.engine.dispose()


def stop_the_clock_first(request) -> None:
    """A test on a stopped clock stops it before a session cookie or CSRF token is signed:
    one signed on the real clock would look signed in the future, and be refused."""
    if "clock" in request.fixturenames:
        request.getfixturevalue("clock")


@pytest.fixture
def client(request, app):
    """A browser that chose English, the source language, so assertions survive translation."""
    stop_the_clock_first(request)
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client


@pytest.fixture
def vi_client(request, app):
    """A first-time visitor: no language chosen, so the shop speaks Vietnamese."""
    stop_the_clock_first(request)
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """login(user): the client is now that user (Flask-Login's session keys)."""

    def _login(user: User):
        g.pop("_login_user", None)  # Flask-Login caches the user on g for the app context
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
        return client

    return _login


_counter = itertools.count(1)


@pytest.fixture
def make_user(app):
    def _make(role: Role = Role.CONSUMER, producer: Producer | None = None, **overrides) -> User:
        n = next(_counter)
        user = User(
            email=overrides.pop("email", f"user{n}@example.vn"),
            name=overrides.pop("name", f"Người dùng {n}"),
            role=role,
            producer=producer,
            **overrides,
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user

    return _make


@pytest.fixture
def make_producer(app):
    def _make(**overrides) -> Producer:
        n = next(_counter)
        values = {
            "name": f"HTX Nông sản số {n}",
            "slug": f"htx-nong-san-so-{n}",
            "commune": "Xã Quảng Ninh",
            "commune_code": 16540,
            "province": "Thanh Hóa",
            "province_code": 38,
            "district": "Quảng Xương",
            "phone": "0912345678",
            "status": ApprovalStatus.APPROVED,
            "story": "Một hợp tác xã làm nông sản sạch.",
        }
        values.update(overrides)
        producer = Producer(**values)
        db.session.add(producer)
        db.session.commit()
        return producer

    return _make


def make_gtin(n: int) -> str:
    """A valid GTIN-14 with Vietnam's 893 prefix, distinct for each n."""
    body = f"0893{n:09d}"
    return body + str(gtin_rules.check_digit(body))


@pytest.fixture
def make_product(app, make_producer):
    def _make(producer: Producer | None = None, stars: int | None = None, **overrides) -> Product:
        n = next(_counter)
        values = {
            "name": f"Sản phẩm thử {n}",
            "slug": f"san-pham-thu-{n}",
            "description": "Mô tả sản phẩm.",
            "ocop_group": OcopGroup.FOOD,
            "gtin": make_gtin(n),
            "unit": "hộp",
            "price_vnd": 100_000,
            "stock": 10,
            "status": ApprovalStatus.APPROVED,
            "is_active": True,
        }
        values.update(overrides)
        product = Product(producer=producer or make_producer(), **values)
        if stars:
            product.certificates.append(
                OcopCertificate(
                    decision_number=f"{n}/QĐ-UBND",
                    decision_date=local_today().replace(day=1),
                    issuer="UBND tỉnh Thanh Hóa",
                    stars=stars,
                    status=CertificateStatus.VERIFIED,
                )
            )
        db.session.add(product)
        db.session.commit()
        return product

    return _make


@pytest.fixture
def count_queries(app):
    """with count_queries() as queries: ...; len(queries) is the number of SQL statements."""

    @contextmanager
    def _count():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.startswith("BEGIN"):  # SQLite's explicit BEGIN is not a query
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return _count


@pytest.fixture
def make_growing_area(app, make_producer):
    def _make(producer: Producer | None = None, **overrides) -> GrowingArea:
        n = next(_counter)
        values = {
            "code": f"VN-TH-{n:04d}",
            "name": f"Vùng trồng số {n}",
            "crop": "Bưởi Luận Văn",
            "area_m2": 125_000,
            "households": 18,
            "commune": "Xã Xuân Lập",
            "commune_code": 15592,
            "province": "Thanh Hóa",
            "province_code": 38,
            "district": "Thọ Xuân",
            "latitude": 19.93,
            "longitude": 105.43,
            "status": CodeStatus.ACTIVE,
            "issued_on": date(2024, 3, 1),
        }
        values.update(overrides)
        area = GrowingArea(producer=producer or make_producer(), **values)
        db.session.add(area)
        db.session.commit()
        return area

    return _make


@pytest.fixture
def make_packing_house(app, make_producer):
    def _make(producer: Producer | None = None, **overrides) -> PackingHouse:
        n = next(_counter)
        values = {
            "code": f"VN-TH-PH-{n:03d}",
            "name": f"Cơ sở đóng gói {n}",
            "commune": "Xã Thọ Xuân",
            "commune_code": 15499,
            "province": "Thanh Hóa",
            "province_code": 38,
            "district": "Thọ Xuân",
        }
        values.update(overrides)
        house = PackingHouse(producer=producer or make_producer(), **values)
        db.session.add(house)
        db.session.commit()
        return house

    return _make


@pytest.fixture
def make_batch(app, make_product, make_growing_area):
    """make_batch(product=None, events=3, **columns): a batch with a hash-chained timeline."""

    def _make(product: Product | None = None, events: int = 0, **overrides) -> Batch:
        product = product or make_product()
        n = next(_counter)
        values = {
            "lot": f"L{n:05d}",
            "harvest_date": date(2026, 9, 1),
            "packing_date": date(2026, 9, 3),
            "best_before": date(2027, 9, 3),
            "quantity": 500,
            "quantity_unit": "kg",
        }
        values.update(overrides)
        if "growing_area" not in values and "growing_area_id" not in values:
            values["growing_area"] = make_growing_area(producer=product.producer)
        batch = Batch(product=product, **values)
        db.session.add(batch)
        db.session.flush()
        kinds = [EventType.PLANTING, EventType.HARVEST, EventType.PACKING, EventType.SHIPPING]
        start = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
        for i in range(events):
            record_event(
                batch,
                kinds[i % len(kinds)],
                start + timedelta(days=30 * i),
                place="Xã Xuân Minh, Thọ Xuân",
                actor="Nguyễn Văn An",
                notes=f"Ghi chép số {i + 1}",
            )
        db.session.commit()
        return batch

    return _make
