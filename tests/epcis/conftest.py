"""The partner fixtures (tests/partners/conftest.py), shared with the capture tests."""

from tests.partners.conftest import lot, partner_key, staff  # noqa: F401
