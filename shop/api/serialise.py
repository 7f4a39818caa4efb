"""Products as the JSON API shows them (the field names are fixed by SPEC.md)."""

from flask import current_app, url_for

from shop.catalogue.models import OcopCertificate, Product


def absolute(path: str) -> str:
    """A path on this site as an absolute URL on the public origin (SHOP_BASE_URL)."""
    return current_app.config["SHOP_BASE_URL"].rstrip("/") + path


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
    }
