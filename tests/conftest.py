"""Fixtures: an app per test, a client, factories, a query counter, and a stopped clock
(time is an input of the tests, never the hour the suite happens to run).

Which database a test runs on
-----------------------------
A test that uses `app` (or `database_url`) runs on SQLite. A test whose behaviour depends on
the database (queries and query counts, constraints, locking and oversell, search, money,
webhooks' exactly-once, seeds' idempotency, migrations) runs on PostgreSQL as well; say so with

    pytestmark = pytest.mark.both_databases      # a whole module
    @pytest.mark.both_databases                  # one test or class

and `@pytest.mark.postgres_only` for PostgreSQL alone. The ids say which: `test_x[sqlite]`,
`test_x[postgresql]`. When unsure, mark both.

SQLite: the schema is built once per session (per xdist worker) and each test gets a copy of
the file. PostgreSQL: each run and each xdist worker creates its own database,
`<TEST_DATABASE_URL's name>_<worker>_<pid>`, with the schema, and drops it at the end; between
tests only the tables that were written are emptied. So runs side by side never meet.
"""

import functools
import itertools
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import jinja2
import pytest
from flask import g
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from shop import config as shop_config
from shop import create_app
from shop import models as all_models  # noqa: F401 - every mapper resolvable, whatever runs
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
def postgres_url(tmp_path_factory) -> Iterator[str]:
    """This run's own corner of TEST_DATABASE_URL's database (one per xdist worker): a schema
    named `<database>_<worker>_<pid>`, holding the tables, dropped at the end."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        skip_or_fail(
            "TEST_DATABASE_URL is not set: the PostgreSQL half of the suite needs a server "
            "(make test points it at postgresql://postgres@127.0.0.1:5432/test)"
        )
    server = make_url(shop_config.database_url(url, ""))
    name = f"{server.database}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    try:
        with create_engine(server, poolclass=NullPool).connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        skip_or_fail(f"PostgreSQL at TEST_DATABASE_URL does not answer: {exc}")
    with postgres_schema(server, name) as own:
        _create_schema(own, tmp_path_factory.mktemp("postgres"))
        event.listen(Engine, "before_cursor_execute", _note_written_table)
        yield own
        event.remove(Engine, "before_cursor_execute", _note_written_table)


@contextmanager
def postgres_schema(server: URL, name: str) -> Iterator[str]:
    """A new, empty schema on the server, dropped on exit; the URL given sees only it.

    A schema, not a database: DROP DATABASE forces a checkpoint of the whole server (seconds,
    minutes when other suites keep it busy), DROP SCHEMA does not. Commits don't wait for the
    disk either: a test database needs no durability.
    """
    admin = create_engine(server, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    options = f"-c search_path={name} -c synchronous_commit=off"
    try:
        yield server.update_query_dict({"options": options}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run `database_url` tests on SQLite; on PostgreSQL too when marked (see the docstring).

    A module or class that overrides `database_url` without asking for this one keeps its own.
    """
    for fixturedef in reversed(metafunc._arg2fixturedefs.get("database_url", ())):
        if fixturedef.func.__module__ == __name__:
            if metafunc.definition.get_closest_marker("postgres_only"):
                databases = ["postgresql"]
            elif metafunc.definition.get_closest_marker("both_databases"):
                databases = ["sqlite", "postgresql"]
            else:
                databases = ["sqlite"]
            metafunc.parametrize("database_url", databases, indirect=True)
            return
        if "database_url" not in fixturedef.argnames:
            return


@pytest.fixture
def database_url(request, tmp_path) -> str:
    """The test's database: a SQLite file of its own, or this run's PostgreSQL schema."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory) -> Path:
    """A SQLite file holding the empty schema, built once per session (per xdist worker)."""
    path = tmp_path_factory.mktemp("schema") / "schema.sqlite3"
    _create_schema(f"sqlite:///{path}", path.parent)
    return path


def _create_schema(url: str, folder: Path) -> None:
    settings = {"TESTING": True, "SECRET_KEY": "schema", "UPLOAD_FOLDER": str(folder)}
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()  # SQLite: folds the WAL into the file, which is then whole


INSERT = re.compile(r'\s*INSERT\s+INTO\s+"?(\w+)', re.IGNORECASE)
written_on_postgres: set[str] = set()  # tables written since the schema was last emptied


def _note_written_table(conn, cursor, statement, parameters, context, executemany) -> None:
    if conn.dialect.name == "postgresql":
        match = INSERT.match(statement)
        if match:
            written_on_postgres.add(match.group(1))


def _copy_schema(url: str, schema: Path) -> None:
    """SQLite: the test's file starts as a copy of the schema file (a file that is already
    there, made by the test itself, gets whatever tables it lacks)."""
    path = Path(make_url(url).database)
    if path.exists():
        db.create_all()
    else:
        shutil.copyfile(schema, path)


def _empty_written_tables() -> None:
    """PostgreSQL: empty what the tests before wrote, children first, and restart their
    sequences: ~6 ms, where a TRUNCATE of every table took ~800 ms (measured on a busy server)."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name in written_on_postgres]
    if not tables:
        return
    statements = [f'DELETE FROM "{t.name}"' for t in tables] + [
        f"SELECT setval(pg_get_serial_sequence('\"{t.name}\"', '{column.name}'), 1, false)"
        for t in tables
        for column in t.primary_key.columns
        if column.type.python_type is int
    ]
    with db.engine.begin() as conn:
        conn.exec_driver_sql("; ".join(statements))
    written_on_postgres.clear()


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per session: each test's app would compile them all anew."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])  # checks the source's hash

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = _CompiledTemplates()


@pytest.fixture
def app_overrides() -> dict:
    """Override in a test module to change the configuration of `app`."""
    return {}


@pytest.fixture
def app(request, database_url, tmp_path, app_overrides):
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
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    with app.app_context():
        if database_url.startswith("sqlite"):
            _copy_schema(database_url, request.getfixturevalue("sqlite_schema"))
        else:
            _empty_written_tables()
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


@functools.cache
def password_hash(password: str) -> str:
    """Hashing is slow on purpose (scrypt, ~0.1 s of CPU): test users share one hash."""
    user = User()
    user.set_password(password)
    return user.password_hash


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
        user.password_hash = password_hash(PASSWORD)
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
