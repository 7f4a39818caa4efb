"""Products and batches as the JSON API shows them (the field names are fixed by SPEC.md)."""

from flask import url_for

from shop.catalogue.models import OcopCertificate, Product
from shop.farm.fields import local_today
from shop.scan.links import absolute, batch_url, label_pdf_url, label_png_url
from shop.scan.timeline import Entry, build_timeline
from shop.scan.verdicts import code_status
from shop.trace.models import Batch, GrowingArea, PackingHouse

__all__ = ["absolute", "batch_document", "product_document", "product_item"]


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
        "producer": {"name": product.producer.name, "district": product.producer.district},
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
        "label_png_url": label_png_url(batch),
        "label_pdf_url": label_pdf_url(batch),
    }
