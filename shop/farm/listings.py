"""A producer's own products: add, change, take off sale. Functions flush; views commit."""

from shop.catalogue.models import (
    CertificateStatus,
    OcopCertificate,
    OcopGroup,
    Product,
    ProductPhoto,
    QuantityUnit,
)
from shop.extensions import db
from shop.farm.forms import ProductForm
from shop.producers.models import ApprovalStatus, Producer
from shop.slugs import unique_slug


def create_product(producer: Producer, form: ProductForm) -> Product:
    """A new product waits for the cooperative's approval before it is shown."""
    product = Product(
        producer=producer,
        slug=unique_slug(Product.slug, form.name.data),
        status=ApprovalStatus.PENDING,
    )
    _copy_fields(product, form)
    db.session.add(product)
    _update_photos(product, form)
    _add_certificate(product, form)
    db.session.flush()
    return product


def update_product(product: Product, form: ProductForm) -> Product:
    """Approval survives an edit, except a new GTIN (a different package) or a rejected product."""
    new_gtin = form.gtin14 != product.gtin
    _copy_fields(product, form)
    if new_gtin or product.status == ApprovalStatus.REJECTED:
        product.status = ApprovalStatus.PENDING
    _update_photos(product, form)
    _add_certificate(product, form)
    db.session.flush()
    return product


def deactivate_product(product: Product) -> None:
    """Off sale; never deleted, as orders and batches refer to it."""
    product.is_active = False
    db.session.flush()


def activate_product(product: Product) -> None:
    product.is_active = True
    db.session.flush()


def _copy_fields(product: Product, form: ProductForm) -> None:
    """The slug is left alone: a product's address stays the same when its name is corrected."""
    product.name = form.name.data.strip()
    product.ocop_group = OcopGroup(form.ocop_group.data)
    product.description = (form.description.data or "").strip()
    product.gtin = form.gtin14
    product.unit = form.unit.data.strip()
    has_quantity = form.net_quantity.data is not None
    product.net_quantity = form.net_quantity.data
    product.net_quantity_unit = QuantityUnit(form.net_quantity_unit.data) if has_quantity else None
    product.price_vnd = form.price_vnd.data
    product.stock = form.stock.data
    product.shelf_life_days = form.shelf_life_days.data
    product.is_active = form.is_active.data


def _update_photos(product: Product, form: ProductForm) -> None:
    removed = set(form.remove_photos.data or [])
    kept = [p for p in product.photos if p.id not in removed]
    known = {p.filename for p in kept}
    added = [ProductPhoto(filename=name) for name in form.new_photos if name not in known]
    product.photos = kept + added
    for position, photo in enumerate(product.photos):
        photo.position = position


def _add_certificate(product: Product, form: ProductForm) -> None:
    """Entered by the farmer, so PENDING: stars show only after staff verify the decision."""
    if not form.has_certificate:
        return
    product.certificates.append(
        OcopCertificate(
            decision_number=form.cert_number.data.strip(),
            decision_date=form.cert_date.data,
            issuer=form.cert_issuer.data,
            stars=int(form.cert_stars.data),
            score=form.cert_score.data,
            status=CertificateStatus.PENDING,
        )
    )
