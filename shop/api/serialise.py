"""Products and batches as the JSON API shows them (the field names are fixed by SPEC.md)."""

from datetime import UTC

from flask import url_for

from shop.catalogue.models import OcopCertificate, Product
from shop.checkout.models import Order, OrderStatus, PaymentMethod
from shop.clock import local_today
from shop.scan.links import absolute, batch_url, label_pdf_url, label_png_url
from shop.scan.timeline import Entry, aware, build_timeline
from shop.scan.verdicts import code_status
from shop.trace.models import Batch, GrowingArea, PackingHouse

__all__ = [
    "absolute",
    "batch_document",
    "order_created",
    "order_document",
    "product_document",
    "product_item",
]


def product_item(product: Product) -> dict:
    """One hit of GET /api/v1/products."""
    return {
        "id": product.id,
        "slug": product.slug,
        "name": product.name,
        "price_vnd": product.price_vnd,
        "stock": product.stock,
        "ocop_stars": product.ocop_stars,
        "gtin": product.gtin,
        "producer": {"name": product.producer.name, **place_document(product.producer)},
    }


def place_document(record) -> dict:
    """Names with their official codes; `district` is the pre-2025 name or null."""
    return {
        "commune": record.commune or None,
        "commune_code": record.commune_code,
        "province": record.province or None,
        "province_code": record.province_code,
        "district": record.district or None,
    }


def certificate_document(certificate: OcopCertificate | None) -> dict | None:
    if certificate is None:
        return None
    return {
        "stars": certificate.stars,
        "decision_number": certificate.decision_number,
        "decision_date": certificate.decision_date.isoformat(),
        "issuer": certificate.issuer,
        "expires_on": certificate.expires_on.isoformat(),
    }


def product_document(product: Product) -> dict:
    """GET /api/v1/products/<id>: the list item plus what the product page shows."""
    return {
        **product_item(product),
        "description": product.description,
        "unit": product.unit,
        "url": absolute(url_for("catalogue.product", slug=product.slug)),
        "photos": [absolute(url_for("site.media", name=p.filename)) for p in product.photos],
        "certificate": certificate_document(product.current_certificate()),
        "batches": [
            {"lot": batch.lot, "url": batch_url(batch)}
            for batch in product.batches
            if batch.on_sale
        ],
    }


def _day(value) -> str | None:
    return value.isoformat() if value else None


def growing_area_document(area: GrowingArea | None) -> dict | None:
    """A suspended, revoked or expired code says so in `status`; it is never 'active'."""
    if area is None:
        return None
    return {
        "code": area.code,
        "status": code_status(area, local_today()),
        "name": area.name,
        "crop": area.crop,
        "area_hectares": area.area_hectares,
        "households": area.households,
        "location": area.location,
        **place_document(area),
        "gap_scheme": area.gap_scheme.value if area.gap_scheme else None,
    }


def packing_house_document(house: PackingHouse | None) -> dict | None:
    if house is None:
        return None
    return {"code": house.code, "status": code_status(house, local_today())}


def event_document(entry: Entry) -> dict:
    event = entry.event
    return {
        "seq": event.seq,
        "type": entry.type.value,
        "occurred_at": entry.when.isoformat(),
        "place": event.place,
        "actor": event.actor,
        "notes": event.notes,
        "details": event.details or {},
        "corrects": entry.corrects.seq if entry.corrects is not None else None,
        "altered": entry.altered,
    }


def recall_document(batch: Batch) -> dict | None:
    """null, or why the lot was recalled, what buyers should do, and when."""
    event = batch.recall
    if event is None:
        return None
    details = event.details or {}
    return {
        "reason": details.get("reason", ""),
        "advice": details.get("advice", ""),
        "recalled_at": aware(event.occurred_at).isoformat(),
    }


def batch_document(batch: Batch) -> dict:
    """GET /api/v1/batches/<gtin>/<lot>: the batch, its origin and its events, oldest first."""
    timeline = build_timeline(batch)
    return {
        "gtin": batch.product.gtin,
        "lot": batch.lot,
        "product": product_item(batch.product),
        "harvest_date": _day(batch.harvest_date),
        "packing_date": _day(batch.packing_date),
        "best_before": _day(batch.best_before),
        "quantity": batch.quantity,
        "quantity_unit": batch.quantity_unit,
        "url": batch_url(batch),
        "growing_area": growing_area_document(batch.growing_area),
        "packing_house": packing_house_document(batch.packing_house),
        "events": [event_document(entry) for entry in timeline.entries],
        "chain_intact": timeline.intact,
        "recall": recall_document(batch),
        "label_png_url": label_png_url(batch),
        "label_pdf_url": label_pdf_url(batch),
    }


def _vietqr_payload(order: Order) -> str | None:
    """The EMVCo string to transfer the order's total, while it waits for payment."""
    if order.status != OrderStatus.PENDING_PAYMENT:
        return None
    from shop.payments.vietqr import order_payload

    return order_payload(order)


def order_created(order: Order, token: str, checkout_url: str | None = None) -> dict:
    """The answer to POST /api/v1/orders (and to its retries with the same Idempotency-Key).

    A card order's checkout_url is Stripe's payment page, or, when Stripe could not be
    reached, the order page, whose "Pay by card" button tries again.
    """
    if order.payment_method == PaymentMethod.STRIPE:
        order_page = absolute(url_for("checkout.order", code=order.code, token=token))
        payment = {"method": "stripe", "checkout_url": checkout_url or order_page}
    else:
        payment = {"method": "vietqr", "vietqr_payload": _vietqr_payload(order)}
    return {
        "code": order.code,
        "token": token,
        "status": order.status.value,
        "total_vnd": order.total_vnd,
        "payment": payment,
    }


def _moment(value) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite keeps the UTC digits without their offset
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def order_document(order: Order) -> dict:
    """GET /api/v1/orders/<code>: status, items with the lot each unit came from, payment."""
    payment: dict = {"method": order.payment_method.value, "paid_at": _moment(order.paid_at)}
    if order.payment_method == PaymentMethod.VIETQR:
        payment["vietqr_payload"] = _vietqr_payload(order)
    return {
        "code": order.code,
        "status": order.status.value,
        "subtotal_vnd": order.subtotal_vnd,
        "shipping_vnd": order.shipping_vnd,
        "total_vnd": order.total_vnd,
        "created_at": _moment(order.created_at),
        "expires_at": _moment(order.expires_at),
        "items": [
            {
                "product_id": line.product_id,
                "name": line.product_name,
                "quantity": line.quantity,
                "unit_price_vnd": line.unit_price_vnd,
                "lot": line.lot,
                "lot_url": absolute(url_for("scan.batch", gtin=line.gtin, lot=line.lot))
                if line.gtin and line.lot
                else None,
            }
            for line in order.lines
        ],
        "payment": payment,
    }
