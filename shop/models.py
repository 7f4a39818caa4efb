"""Every feature's models, imported in one place for Alembic and the test schema."""

from shop.audit.models import AuditEntry
from shop.auth.models import Role, User
from shop.catalogue.models import OcopCertificate, Product, ProductPhoto
from shop.checkout.models import CartItem, EmailOutbox, Order, OrderLine, OrderStatusChange
from shop.labels.models import LabelRun, LabelSerial
from shop.partners.models import CapturedEvent, Partner, PartnerGrant
from shop.payments.models import Payment, PaymentReview, Refund, WebhookEvent
from shop.payouts.models import Payout
from shop.producers.models import ApprovalStatus, Producer
from shop.recalls.models import RecallNotice
from shop.scan.models import Scan
from shop.trace.models import Batch, BatchEvent, GrowingArea, PackingHouse

__all__ = [
    "ApprovalStatus",
    "AuditEntry",
    "Batch",
    "BatchEvent",
    "CapturedEvent",
    "CartItem",
    "EmailOutbox",
    "GrowingArea",
    "LabelRun",
    "LabelSerial",
    "OcopCertificate",
    "Order",
    "OrderLine",
    "OrderStatusChange",
    "PackingHouse",
    "Partner",
    "PartnerGrant",
    "Payment",
    "PaymentReview",
    "Payout",
    "Producer",
    "Product",
    "ProductPhoto",
    "RecallNotice",
    "Refund",
    "Role",
    "Scan",
    "User",
    "WebhookEvent",
]
