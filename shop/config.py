"""Configuration: safe defaults first, then whatever the environment says."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def database_url(url: str | None, instance_path: str) -> str:
    """Return a SQLAlchemy URL, choosing the project's PostgreSQL driver for plain URLs."""
    if not url:
        return f"sqlite:///{Path(instance_path) / 'shop.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Defaults that suit `make run` on a laptop; production overrides them from the environment."""

    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SHOP_BASE_URL = "http://127.0.0.1:5000"
    SHOP_NAME = "OCOP Shop"
    REDIS_URL: str | None = None
    COMMISSION_PERCENT = 10
    # The dashboard warns when a listed product has this many units or fewer left.
    LOW_STOCK_UNITS = 5
    # How long the dashboard's charts are reused before they are drawn again (seconds).
    DASHBOARD_CACHE_SECONDS = 120

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")

    # Uploads: the request as a whole, then each image.
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    MAX_IMAGE_BYTES = 8 * 1024 * 1024
    MAX_IMAGE_PIXELS = 40_000_000
    IMAGE_MAX_SIDE = 1600
    UPLOAD_FOLDER: str | None = None

    # Payments. Unset VietQR keys mean demo mode: NAPAS's sample account, staff record transfers.
    VIETQR_BANK_BIN: str | None = None
    VIETQR_ACCOUNT_NO: str | None = None
    VIETQR_ACCOUNT_NAME: str | None = None
    BANK_WEBHOOK_SECRET: str | None = None
    STRIPE_SECRET_KEY: str | None = None
    STRIPE_WEBHOOK_SECRET: str | None = None
    STRIPE_API_BASE: str | None = None

    # Orders: stock is held this long for an unpaid order; shipping fees per province.
    ORDER_RESERVATION_MINUTES = 30
    SHIPPING_FEE_VND = 35_000
    SHIPPING_FEES_VND = {"Thanh Hóa": 20_000}
    FREE_SHIPPING_FROM_VND = 500_000

    # E-mail: "console" (printed on stderr), "file" (instance/mail/*.eml) or "smtp".
    MAIL_BACKEND = "console"
    MAIL_FROM = "OCOP Shop <no-reply@ocop.local>"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    # Special-use top-level domains (RFC 6761/6762) accepted in e-mail addresses anyway: the demo
    # accounts are @ocop.local. A production shop may set it to () to refuse them.
    EMAIL_SPECIAL_USE_TLDS: tuple[str, ...] = ("local",)

    # A serialised label scanned more often than this is probably a copy.
    SCAN_SUSPICIOUS_COUNT = 20

    CATALOGUE_PAGE_SIZE = 12
    API_PAGE_SIZE = 20

    # Text answers compressed for phones on slow networks (Brotli where the browser takes it).
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/plain",
        "text/csv",
        "application/javascript",
        "application/json",
        "application/problem+json",
        "application/ld+json",
        "application/linkset+json",
        "image/svg+xml",
    ]
    COMPRESS_MIN_SIZE = 500
    COMPRESS_STREAMS = False  # its streaming wrapper never closes a sent file; see shop/assets.py

    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"
    EPCIS_CAPTURE_RATE_LIMIT = "60 per minute"  # per partner key

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None


ENVIRONMENT_KEYS = (
    "SECRET_KEY",
    "SHOP_BASE_URL",
    "REDIS_URL",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_API_BASE",
    "VIETQR_BANK_BIN",
    "VIETQR_ACCOUNT_NO",
    "VIETQR_ACCOUNT_NAME",
    "BANK_WEBHOOK_SECRET",
    "UPLOAD_FOLDER",
    "MAIL_BACKEND",
    "MAIL_FROM",
    "MAIL_SERVER",
    "MAIL_PORT",
    "MAIL_USERNAME",
    "MAIL_PASSWORD",
)


def load(app, overrides: dict | None = None) -> None:
    """Fill app.config from Config, the environment, then explicit overrides (tests)."""
    app.config.from_object(Config)
    for key in ENVIRONMENT_KEYS:
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    if os.environ.get("COMMISSION_PERCENT"):
        app.config["COMMISSION_PERCENT"] = int(os.environ["COMMISSION_PERCENT"])
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL")
    if os.environ.get("MAIL_USE_TLS"):
        app.config["MAIL_USE_TLS"] = os.environ["MAIL_USE_TLS"] == "1"
    if os.environ.get("SESSION_COOKIE_SECURE") == "1":
        app.config["SESSION_COOKIE_SECURE"] = True
    app.config.update(overrides or {})

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(
        app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path
    )
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)


def _instance_secret(instance_path: str) -> str:
    """A per-installation random key kept under instance/, so a laptop run needs no set-up."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
