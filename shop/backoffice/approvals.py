"""Staff decisions on what producers submit: producers, products and OCOP certificates.

Each verb changes one object and flushes; the view commits once.
"""

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from shop.audit.log import record
from shop.catalogue.models import CertificateStatus, OcopCertificate, Product
from shop.extensions import db, utcnow
from shop.producers.models import ApprovalStatus, Producer


def pending_producers() -> list[Producer]:
    """Producers waiting for a decision, oldest first, with their owners' accounts."""
    return list(
        db.session.scalars(
            select(Producer)
            .where(Producer.status == ApprovalStatus.PENDING)
            .options(selectinload(Producer.users))
            .order_by(Producer.created_at, Producer.id)
        )
    )


def pending_products() -> list[Product]:
    """Products waiting for a decision, oldest first, with producer and photos."""
    return list(
        db.session.scalars(
            select(Product)
            .where(Product.status == ApprovalStatus.PENDING)
            .options(joinedload(Product.producer), selectinload(Product.photos))
            .order_by(Product.created_at, Product.id)
        )
    )


def pending_certificates() -> list[OcopCertificate]:
    """OCOP certificates a producer entered and staff have not yet checked."""
    return list(
        db.session.scalars(
            select(OcopCertificate)
            .where(OcopCertificate.status == CertificateStatus.PENDING)
            .options(joinedload(OcopCertificate.product).joinedload(Product.producer))
            .order_by(OcopCertificate.created_at, OcopCertificate.id)
        )
    )


def _review_producer(producer: Producer, status: ApprovalStatus, note: str, staff) -> None:
    before = {"status": producer.status.value, "note": producer.review_note}
    producer.status = status
    producer.review_note = (note or "").strip()[:500]
    producer.reviewed_at = utcnow()
    action = "producer.approve" if status == ApprovalStatus.APPROVED else "producer.reject"
    after = {"status": status.value, "note": producer.review_note}
    record(staff, action, f"producer:{producer.id}", before, after)


def approve_producer(producer: Producer, staff, note: str = "") -> None:
    """The producer may sell: its approved products appear in the catalogue."""
    _review_producer(producer, ApprovalStatus.APPROVED, note, staff)


def reject_producer(producer: Producer, staff, note: str = "") -> None:
    """The producer may not sell; the note tells them why."""
    _review_producer(producer, ApprovalStatus.REJECTED, note, staff)


def _review_product(product: Product, status: ApprovalStatus, note: str, staff) -> None:
    before = {"status": product.status.value, "note": product.review_note}
    product.status = status
    product.review_note = (note or "").strip()[:500]
    action = "product.approve" if status == ApprovalStatus.APPROVED else "product.reject"
    after = {"status": status.value, "note": product.review_note}
    record(staff, action, f"product:{product.id}", before, after)


def approve_product(product: Product, staff, note: str = "") -> None:
    """The product is listed once it is active and its producer is approved."""
    _review_product(product, ApprovalStatus.APPROVED, note, staff)


def reject_product(product: Product, staff, note: str = "") -> None:
    """The product stays off the catalogue; the note tells the producer why."""
    _review_product(product, ApprovalStatus.REJECTED, note, staff)


def _review_certificate(certificate: OcopCertificate, status: CertificateStatus, staff) -> None:
    before = {"status": certificate.status.value}
    certificate.status = status
    action = "certificate.verify" if status == CertificateStatus.VERIFIED else "certificate.reject"
    after = {"status": status.value, "decision_number": certificate.decision_number}
    record(staff, action, f"certificate:{certificate.id}", before, after)


def verify_certificate(certificate: OcopCertificate, staff) -> None:
    """Staff checked the decision: its stars show while the certificate is current."""
    _review_certificate(certificate, CertificateStatus.VERIFIED, staff)


def reject_certificate(certificate: OcopCertificate, staff) -> None:
    """The decision could not be confirmed: no stars are shown for it."""
    _review_certificate(certificate, CertificateStatus.REJECTED, staff)
