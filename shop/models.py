"""Every feature's models, imported in one place for Alembic and the test schema."""

from shop.auth.models import Role, User
from shop.catalogue.models import OcopCertificate, Product, ProductPhoto
from shop.producers.models import ApprovalStatus, Producer

__all__ = [
    "ApprovalStatus",
    "OcopCertificate",
    "Producer",
    "Product",
    "ProductPhoto",
    "Role",
    "User",
]
